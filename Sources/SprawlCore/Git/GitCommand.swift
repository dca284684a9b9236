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
        let child: ChildProcess
        do {
            child = try spawn(arguments, withInput: input != nil)
        } catch {
            throw GitError(repository: repository, command: arguments.first ?? "", message: error.message)
        }
        if let input, let descriptor = child.takeInput() {
            // Fed from another thread: git may fill its output pipe before reading all its input.
            let bytes = [UInt8](input)
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                ChildProcess.write(bytes, to: descriptor)
                close(descriptor)
                done.signal()
            }
            let output = drain(child)
            done.wait()
            return try finish(child, arguments, output)
        }
        return try finish(child, arguments, drain(child))
    }

    /// Runs git and hands its output to `body` in pieces as it arrives, for outputs worth
    /// processing while git still writes them (a history's log).
    func stream(_ arguments: [String], _ body: (UnsafeRawBufferPointer) -> Void) throws(GitError) {
        let child: ChildProcess
        do {
            child = try spawn(arguments, withInput: false)
        } catch {
            throw GitError(repository: repository, command: arguments.first ?? "", message: error.message)
        }
        let errors = ErrorCollector(child)
        ChildProcess.read(child.output, body)
        _ = try finish(child, arguments, ([], errors.wait()))
    }

    /// Reads the child's output and errors to their ends (errors on another thread).
    private func drain(_ child: ChildProcess) -> (output: [UInt8], errors: [UInt8]) {
        let errors = ErrorCollector(child)
        let output = ChildProcess.readAll(child.output)
        return (output, errors.wait())
    }

    private func finish(_ child: ChildProcess, _ arguments: [String],
                        _ streams: (output: [UInt8], errors: [UInt8])) throws(GitError) -> Data {
        let status = child.wait()
        guard status == 0 else {
            let message = String(decoding: streams.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw GitError(repository: repository, command: arguments.joined(separator: " "),
                           message: message.isEmpty ? "exit status \(status)" : message)
        }
        return Data(streams.output)
    }

    /// Starts git for streaming (`cat-file --batch`); the caller owns its pipes.
    func spawn(_ arguments: [String], withInput: Bool) throws(GitError) -> ChildProcess {
        // -c core.quotePath=false: paths come back as bytes, not octal escapes.
        try ChildProcess(["git", "-C", repository, "-c", "core.quotePath=false"] + arguments,
                         environment: ["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"], withInput: withInput)
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

/// Reads a child's standard error to its end on another thread, so neither of its pipes can fill
/// and block it. The thread owns the descriptor and closes it when done (see `takeErrors`).
final class ErrorCollector: @unchecked Sendable {
    // Safety: `data` is written once by the reading thread before `semaphore` is signalled, and
    // read only after waiting on it.
    private var data = [UInt8]()
    private let semaphore = DispatchSemaphore(value: 0)

    init(_ child: ChildProcess) {
        guard let descriptor = child.takeErrors() else {
            semaphore.signal()
            return
        }
        Thread.detachNewThread {
            self.data = ChildProcess.readAll(descriptor)
            close(descriptor)
            self.semaphore.signal()
        }
    }

    func wait() -> [UInt8] {
        semaphore.wait()
        return data
    }
}
