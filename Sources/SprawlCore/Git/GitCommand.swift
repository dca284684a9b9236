import Foundation

/// A failed git invocation: which command, in which repository, and git's own message.
public struct GitError: Error, CustomStringConvertible, Sendable {
    public let repository: String
    public let command: String
    public let message: String
    public var description: String { "\(repository): git \(command): \(message)" }
}

/// Runs git in one repository. Every invocation goes through here, so each failure carries the
/// repository and the command.
public struct GitCommand: Sendable {
    /// The repository: a working tree or a bare clone.
    public let repository: String

    public init(repository: String) { self.repository = repository }

    /// Runs `git args...` and returns its standard output; throws with its standard error.
    public func output(_ arguments: [String], input: Data? = nil) throws(GitError) -> Data {
        let process = makeProcess(arguments)
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch {
            throw GitError(repository: repository, command: arguments.first ?? "", message: "cannot run git: \(error.localizedDescription)")
        }
        if let input {
            let writer = stdin.fileHandleForWriting
            DispatchQueue.global().async {
                writer.write(input)
                try? writer.close()
            }
        }
        let errors = ErrorCollector(stderr.fileHandleForReading)
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw GitError(repository: repository, command: arguments.joined(separator: " "),
                           message: message.isEmpty ? "exit status \(process.terminationStatus)" : message)
        }
        return data
    }

    /// A git process for streaming (`cat-file --batch`); the caller owns its pipes.
    func makeProcess(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // -c core.quotePath=false: paths come back as bytes, not octal escapes.
        process.arguments = ["git", "-C", repository, "-c", "core.quotePath=false"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        return process
    }

    /// Whether `directory` is a git repository (working tree or bare).
    public static func isRepository(_ directory: String) -> Bool {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: directory + "/.git") { return true }
        return isBareRepository(directory)
    }

    /// A bare clone: `HEAD`, `objects/` and `refs/` directly inside.
    public static func isBareRepository(_ directory: String) -> Bool {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        return fileManager.fileExists(atPath: directory + "/HEAD")
            && fileManager.fileExists(atPath: directory + "/objects", isDirectory: &isDirectory) && isDirectory.boolValue
            && fileManager.fileExists(atPath: directory + "/refs", isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// Reads a pipe to its end on another thread, so neither of a child's pipes can fill and block it.
final class ErrorCollector: @unchecked Sendable {
    // Safety: `data` is written once by the reading thread before `semaphore` is signalled, and
    // read only after waiting on it.
    private var data = Data()
    private let semaphore = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.semaphore.signal()
        }
    }

    func wait() -> Data {
        semaphore.wait()
        return data
    }
}
