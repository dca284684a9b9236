import Foundation

/// A git repository in a temporary directory, for end-to-end tests of git sources and sweeps.
public final class TestRepository {
    public let directory: TestDirectory
    public var path: String { directory.path }

    public init(_ name: String = #function, in parent: TestDirectory? = nil, subdirectory: String? = nil) {
        if let parent, let subdirectory {
            directory = TestDirectory(existing: parent.createDirectory(subdirectory))
        } else {
            directory = TestDirectory(name)
        }
        git("init", "-q", "-b", "main")
        git("config", "user.email", "dev@example.com")
        git("config", "user.name", "Dev Example")
        git("config", "commit.gpgsign", "false")
    }

    @discardableResult
    public func write(_ relativePath: String, _ contents: String) -> String { directory.create(relativePath, contents: contents) }

    /// Stages everything and commits; returns the new commit id.
    @discardableResult
    public func commit(_ message: String, date: String = "2026-01-15T10:00:00Z") -> String {
        git("add", "-A")
        git("commit", "-q", "--allow-empty", "-m", message, environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        return git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func remove(_ relativePath: String) { git("rm", "-q", relativePath) }

    /// Clones this repository bare into `destination`.
    public func cloneBare(to destination: String) {
        run(["git", "clone", "-q", "--bare", path, destination], in: nil, environment: [:])
    }

    @discardableResult
    public func git(_ arguments: String..., environment: [String: String] = [:]) -> String {
        run(["git"] + arguments, in: path, environment: environment)
    }

    /// Runs git in `directory`, a repository this type did not create (a bare clone).
    @discardableResult
    public func git(in directory: String, _ arguments: String...) -> String {
        run(["git"] + arguments, in: directory, environment: [:])
    }

    @discardableResult
    func run(_ arguments: [String], in directory: String?, environment: [String: String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try! process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(arguments.joined(separator: " ")) failed in \(directory ?? ".")")
        return String(decoding: data, as: UTF8.self)
    }
}
