/// Why a file the scan was asked to look at was not scanned. Every skip is counted and reported:
/// a scan never silently drops a file.
public enum SkipReason: String, Sendable, CaseIterable, Codable, Comparable {
    /// A NUL byte in the first 8 KiB (discovered files only; a named file is scanned anyway).
    case binary
    /// Larger than `--max-file-size`.
    case tooLarge = "too-large"
    /// Permission denied or another read error.
    case unreadable
    /// Deleted (or replaced) between listing and reading.
    case vanished
    /// A symbolic link, not followed (`--follow` follows them).
    case symlink
    /// A followed link that leads back into a directory already walked.
    case symlinkLoop = "symlink-loop"
    /// A FIFO, socket or device: reading it could block or never end.
    case special
    /// A blob of a partial clone (`--filter=blob:none`) that was never downloaded: git history
    /// names it but the object store does not hold it.
    case notFetched = "not-fetched"
    /// Matched an `--exclude` glob or missed every `--include` glob.
    case excluded

    public static func < (lhs: SkipReason, rhs: SkipReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One skipped path and why, listed with `--verbose`.
public struct SkippedFile: Sendable, Codable, Comparable {
    public let path: String
    public let reason: SkipReason

    public static func < (lhs: SkippedFile, rhs: SkippedFile) -> Bool {
        lhs.path != rhs.path ? lhs.path < rhs.path : lhs.reason < rhs.reason
    }
}
