import Foundation

/// Counts a scan's work as it happens, for a progress line: files (or git objects) done out of a
/// total when one is known, bytes and findings. Updated by every worker thread, read by the
/// thread that draws the line.
public final class ScanProgress: @unchecked Sendable {
    // Safety (@unchecked Sendable): every field is read and written only while holding `lock`.
    private let lock = NSLock()
    private var done = 0
    private var total: Int?
    private var bytes = 0
    private var findings = 0

    public struct Snapshot: Sendable {
        public let done: Int
        public let total: Int?
        public let bytes: Int
        public let findings: Int
    }

    public init() {}

    /// Work known in advance (the blobs of a history scan); a directory walk has none.
    func expect(_ count: Int) {
        lock.lock()
        total = (total ?? 0) + count
        lock.unlock()
    }

    func add(items: Int = 1, bytes: Int, findings: Int) {
        lock.lock()
        done += items
        self.bytes += bytes
        self.findings += findings
        lock.unlock()
    }

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return Snapshot(done: done, total: total, bytes: bytes, findings: findings)
    }
}
