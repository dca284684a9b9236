/// Work a scan cut short at one of its bounds, by bound. Every bound that keeps the scan linear
/// whatever the input is counted here and shown in the report's summary, so a cut is never silent.
public enum WorkLimit: String, Sendable, CaseIterable, Comparable {
    /// PCRE2's match or depth limit ended a match attempt (catastrophic backtracking).
    case regexLimit = "regex-limit"
    /// A value encoded more than `BlobScanner.maximumDecodeDepth` times was not decoded further.
    case decodeDepth = "decode-depth"
    /// A base64/hex/percent run longer than `EncodedRuns.maximumRun` was not decoded.
    case encodedRunSize = "encoded-run-size"
    /// A window's end was looked for 4 KiB past its keyword's reach and not found: the match
    /// there was tried on a window cut at that point.
    case tokenEnd = "token-end"

    public static func < (lhs: WorkLimit, rhs: WorkLimit) -> Bool { lhs.rawValue < rhs.rawValue }
}
