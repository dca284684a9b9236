import Foundation

/// Streams blob contents out of one `git cat-file --batch` process: one process for all blobs of a
/// repository, never one per blob.
///
/// Requests are written by a feeder thread while the caller reads responses, so the pipes never
/// deadlock however many blobs are asked for.
public final class BlobReader {
    public struct Blob {
        public let id: String
        /// Nil when git reported the object missing.
        public let contents: [UInt8]?
    }

    private let process: Process
    private let output: FileHandle
    private var buffer = [UInt8]()
    private var position = 0
    private var finished = false

    /// Starts git and begins sending `ids`; read the blobs back with `next()`, in the same order.
    public init(git: GitCommand, ids: [String]) throws(GitError) {
        process = git.makeProcess(["cat-file", "--batch"])
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw GitError(repository: git.repository, command: "cat-file --batch", message: "cannot run git: \(error.localizedDescription)")
        }
        output = stdout.fileHandleForReading
        let writer = stdin.fileHandleForWriting
        let request = Data(ids.map { $0 + "\n" }.joined().utf8)
        Thread.detachNewThread {
            writer.write(request)
            try? writer.close()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The next blob, or nil when every requested id has been answered.
    public func next() -> Blob? {
        guard let header = readLine() else { return nil }
        let fields = header.split(separator: 0x20)
        let id = String(decoding: fields.first ?? [], as: UTF8.self)
        guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)) else {
            return Blob(id: id, contents: nil)  // "<id> missing" (or an unexpected answer)
        }
        guard let contents = read(count: size) else { return nil }
        _ = read(count: 1)  // the newline after the contents
        return Blob(id: id, contents: contents)
    }

    private func fill() -> Bool {
        guard !finished else { return false }
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        let chunk = output.availableData
        if chunk.isEmpty {
            finished = true
            return false
        }
        buffer.append(contentsOf: chunk)
        return true
    }

    private func readLine() -> [UInt8]? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                let line = Array(buffer[position..<newline])
                position = newline + 1
                return line
            }
            if !fill() { return nil }
        }
    }

    private func read(count: Int) -> [UInt8]? {
        while buffer.count - position < count {
            if !fill() { return nil }
        }
        let bytes = Array(buffer[position..<(position + count)])
        position += count
        if position > 1 << 20 {
            buffer.removeFirst(position)
            position = 0
        }
        return bytes
    }
}
