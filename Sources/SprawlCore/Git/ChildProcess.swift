#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
internal import CShims

/// A child process started with `posix_spawnp`, with pipes for its standard streams.
///
/// Not Foundation's `Process`: on Linux its `waitUntilExit` polls a run loop, which added 50 to
/// 70 ms to every git invocation; a pre-commit scan runs five of them. Here the parent waits with
/// `waitpid`, and reads and writes the pipes itself.
final class ChildProcess {
    let pid: pid_t
    /// Our end of the child's standard input, when one was asked for (close it to send EOF).
    private(set) var input: Int32?
    /// Our end of the child's standard output.
    let output: Int32
    /// Our end of the child's standard error, until `takeErrors()` hands it to a reader.
    private var errors: Int32?
    private var status: Int32?

    /// Starts `arguments[0]` (looked up in PATH) with the environment plus `environment`.
    init(_ arguments: [String], environment: [String: String] = [:], withInput: Bool) throws(GitError) {
        func pipePair() -> (read: Int32, write: Int32)? {
            var fds: [Int32] = [0, 0]
            guard sprawl_pipe_cloexec(&fds) == 0 else { return nil }
            return (fds[0], fds[1])
        }
        let failure = { (message: String) in
            GitError(repository: "", command: arguments.dropFirst().joined(separator: " "), message: message)
        }
        guard let out = pipePair(), let err = pipePair() else { throw failure("cannot create pipes") }
        let inPipe = withInput ? pipePair() : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inPipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let environmentStrings = merged.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        // Safety: argv and envp are NUL-terminated arrays of C strings that live until
        // posix_spawnp returns (it copies them into the child).
        let result = withCStrings(arguments) { argv in
            withCStrings(environmentStrings) { envp in
                posix_spawnp(&child, arguments[0], &actions, nil, argv, envp)
            }
        }
        close(out.write)
        close(err.write)
        if let inPipe { close(inPipe.read) }
        guard result == 0 else {
            close(out.read)
            close(err.read)
            if let inPipe { close(inPipe.write) }
            throw failure("cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        pid = child
        input = inPipe?.write
        output = out.read
        errors = err.read
    }

    deinit {
        if let input { close(input) }
        close(output)
        if let errors { close(errors) }
        if status == nil {
            kill(pid, SIGTERM)
            _ = wait()
        }
    }

    /// Hands our end of the child's standard input to the caller, who must close it.
    func takeInput() -> Int32? {
        defer { input = nil }
        return input
    }

    /// Hands our end of the child's standard error to the caller, who must close it. A reader on
    /// another thread must own the descriptor it reads: closed here while that thread had not yet
    /// called `read`, its number could be reused by the next pipe opened (another git process's
    /// output), and the reader would take that process's bytes.
    func takeErrors() -> Int32? {
        defer { errors = nil }
        return errors
    }

    /// Writes all of `bytes` to the child's standard input (stopping if the child closed it).
    static func write(_ bytes: [UInt8], to descriptor: Int32) { Descriptor.writeAll(bytes, to: descriptor) }

    /// Reads `descriptor` to its end.
    static func readAll(_ descriptor: Int32) -> [UInt8] {
        var result = [UInt8]()
        read(descriptor) { result.append(contentsOf: $0) }
        return result
    }

    /// Reads `descriptor` to its end, handing each piece to `body` as it arrives.
    static func read(_ descriptor: Int32, _ body: (UnsafeRawBufferPointer) -> Void) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            chunk.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// Waits for the child to exit and returns its exit status (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let code = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        status = code
        return code
    }
}

/// Calls `body` with a NUL-terminated `char *[]` of `strings`.
private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
