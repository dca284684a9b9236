#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files into a buffer the caller reuses, deciding in one place what is skipped.
///
/// One `read` loop into a reused buffer rather than a memory map: files are capped at
/// `maxFileSize` (default 10 MiB), the buffer is reused across files, and reading avoids a map's
/// fault-per-page cost on the many small files of a source tree; there is no case left where a
/// map would be read less than once.
public struct FileReader {
    /// Bytes sniffed for a NUL to call a file binary (git uses the same 8 KiB).
    public static let sniffLength = 8192

    public let maxFileSize: Int
    public private(set) var buffer: [UInt8] = []

    public init(maxFileSize: Int) { self.maxFileSize = maxFileSize }

    public enum Outcome: Equatable {
        case read(count: Int)
        case skipped(SkipReason)
    }

    /// Reads `path` into `buffer`; `isExplicit` files are read even when they look binary.
    public mutating func read(_ path: String, isExplicit: Bool) -> Outcome {
        let descriptor = PathBytes.withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else { return .skipped(Self.reason(for: errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .skipped(Self.reason(for: errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .skipped(.special) }
        let size = Int(info.st_size)
        guard size <= maxFileSize else { return .skipped(.tooLarge) }
        // One byte more than the size: a file that grew while being read is read to the cap, no further.
        let capacity = min(maxFileSize, size) + 1
        if buffer.count < capacity { buffer = [UInt8](repeating: 0, count: max(capacity, 64 * 1024)) }
        var total = 0
        let failure: Int32? = buffer.withUnsafeMutableBytes { raw -> Int32? in
            while total < capacity {
                // Safety: the destination is inside `raw`, whose size is at least `capacity`.
                let count = Glibc.read(descriptor, raw.baseAddress! + total, capacity - total)
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return errno
                }
                total += count
            }
            return nil
        }
        if let failure { return .skipped(Self.reason(for: failure)) }
        if total > maxFileSize { return .skipped(.tooLarge) }
        if !isExplicit && isBinary(count: total) { return .skipped(.binary) }
        return .read(count: total)
    }

    func isBinary(count: Int) -> Bool {
        buffer.withUnsafeBytes { Self.isBinary(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Whether `contents` is binary and not scanned: a NUL in its first `sniffLength` bytes, unless
    /// it is UTF-16 text or a keystore (both have NULs, and both are scanned). The one decision for
    /// files and git blobs alike.
    static func isBinary(_ contents: UnsafeRawBufferPointer) -> Bool {
        // Safety: memchr reads at most `min(count, sniffLength)` bytes, all inside `contents`.
        guard let base = contents.baseAddress, memchr(base, 0, min(contents.count, sniffLength)) != nil else { return false }
        return UTF16Text.byteOrder(of: contents) == nil && KeystoreFile.detect(contents) == nil
    }

    static func reason(for error: Int32) -> SkipReason {
        switch error {
        case ENOENT, ENOTDIR: return .vanished
        case ELOOP: return .symlinkLoop
        default: return .unreadable
        }
    }
}
