#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Streams blob contents out of one `git cat-file --batch` process: one process for all blobs of a
/// repository, never one per blob.
///
/// Requests are written by a feeder thread while the caller reads responses, so the pipes never
/// deadlock however many blobs are asked for. Responses are read with `read(2)` into one buffer
/// that grows to the largest blob, and each blob is handed to the caller in place: a history scan
/// moves hundreds of megabytes through here, and every copy shows.
public final class BlobReader {
    private let child: ChildProcess
    private let repository: String
    /// git's standard error, read to its end on another thread (so git never blocks on it).
    private let errors: ErrorCollector
    private let descriptor: Int32
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var finished = false

    /// Starts git and begins sending `ids`; read the blobs back with `next(_:)`, in the same order.
    public init(git: GitCommand, ids: [String]) throws(GitError) {
        child = try git.spawn(["cat-file", "--batch"], withInput: true)
        repository = git.repository
        errors = ErrorCollector(child)
        descriptor = child.output
        #if os(Linux)
        // A 1 MiB pipe (F_SETPIPE_SZ) instead of 64 KiB: git and the scanner trade the CPU far
        // less often. Best effort: unprivileged processes may be capped lower, which is fine.
        _ = fcntl(descriptor, 1031, 1 << 20)
        #endif
        capacity = 1 << 20
        buffer = .allocate(byteCount: capacity, alignment: 16)
        let request = Array(ids.map { $0 + "\n" }.joined().utf8)
        guard let writer = child.takeInput() else { return }
        // Requests go from another thread while answers are read here, so no pipe fills up.
        Thread.detachNewThread {
            ChildProcess.write(request, to: writer)
            close(writer)
        }
    }

    deinit { buffer.deallocate() }

    /// Reads the next blob and calls `body` with its id and contents (nil when git reports it
    /// missing); the contents are valid only during the call. Returns false when no answer is left.
    public func next(_ body: (String, UnsafeRawBufferPointer?) -> Void) -> Bool {
        guard let header = readLine() else { return false }
        let fields = header.split(separator: 0x20)
        let id = String(decoding: fields.first ?? [], as: UTF8.self)
        guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)) else {
            body(id, nil)  // "<id> missing" (or an unexpected answer)
            return true
        }
        // The contents and the newline git writes after them.
        guard ensure(size + 1) else { return false }
        body(id, UnsafeRawBufferPointer(start: buffer + start, count: size))
        start += size + 1
        return true
    }

    /// Why git stopped answering before every blob was read (a corrupt object, a killed process):
    /// git's own message, or its exit status when it said nothing.
    public func failure() -> GitError {
        kill(child.pid, SIGTERM)  // it may still be alive, blocked on a request nobody reads
        return failure(status: child.wait())
    }

    /// Waits for git to exit after the last answer: a failing exit is an error even when every
    /// blob came back (git may have written a damaged object's bytes before noticing).
    public func finish() throws(GitError) {
        let status = child.wait()
        guard status == 0 else { throw failure(status: status) }
    }

    private func failure(status: Int32) -> GitError {
        let message = String(decoding: errors.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let ending = status > 128 ? "killed by signal \(status - 128)" : "exit status \(status)"
        return GitError(repository: repository, command: "cat-file --batch",
                        message: message.isEmpty ? "ended before answering every request (\(ending))" : message)
    }

    /// A blob git said was missing although it listed it itself: the object store is damaged or
    /// was changed during the scan.
    public func missing(_ id: String) -> GitError {
        GitError(repository: repository, command: "cat-file --batch",
                 message: "object \(id) is missing: the repository is damaged or changed during the scan")
    }

    /// Makes at least `count` bytes available contiguously from `start`.
    private func ensure(_ count: Int) -> Bool {
        while end - start < count {
            if finished { return false }
            if capacity - start < count {
                // Move what is unread to the front, growing the buffer if one blob needs it.
                let unread = end - start
                if capacity < count {
                    let grown = UnsafeMutableRawPointer.allocate(byteCount: max(count, capacity * 2), alignment: 16)
                    grown.copyMemory(from: buffer + start, byteCount: unread)
                    buffer.deallocate()
                    buffer = grown
                    capacity = max(count, capacity * 2)
                } else {
                    // Safety: source and destination may overlap; memmove handles it.
                    memmove(buffer, buffer + start, unread)
                }
                start = 0
                end = unread
            }
            let got = read(descriptor, buffer + end, capacity - end)
            if got < 0 && errno == EINTR { continue }
            if got <= 0 {
                finished = true
                return end - start >= count
            }
            end += got
        }
        return true
    }

    private func readLine() -> [UInt8]? {
        var scanned = start
        while true {
            while scanned < end {
                if buffer.load(fromByteOffset: scanned, as: UInt8.self) == 0x0A {
                    let line = [UInt8](UnsafeRawBufferPointer(start: buffer + start, count: scanned - start))
                    start = scanned + 1
                    return line
                }
                scanned += 1
            }
            let offset = scanned - start
            guard ensure(offset + 1) else { return nil }
            scanned = start + offset
        }
    }
}
