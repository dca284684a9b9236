internal import CPCRE2

/// An error reported by PCRE2 while compiling a pattern, with PCRE2's own message.
public struct PCRE2Error: Error, CustomStringConvertible, Sendable {
    /// PCRE2's error code (negative for match-time errors, positive for compile errors).
    public let code: Int32
    /// PCRE2's message for `code`.
    public let message: String
    /// Byte offset in the pattern where compilation failed, when it did.
    public let offset: Int?

    public var description: String {
        if let offset { return "\(message) at pattern offset \(offset)" }
        return message
    }

    init(code: Int32, offset: Int? = nil) {
        self.code = code
        self.offset = offset
        var buffer = [UInt8](repeating: 0, count: 256)
        // Safety: pcre2_get_error_message_8 writes at most `count` code units, NUL-terminated.
        let length = buffer.withUnsafeMutableBufferPointer {
            pcre2_get_error_message_8(code, $0.baseAddress, $0.count)
        }
        self.message = length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "pcre2 error \(code)"
    }
}

/// A compiled, JIT-compiled PCRE2 pattern over bytes.
///
/// Patterns are compiled without UTF mode (files are bytes and need not be valid UTF-8), with
/// `PCRE2_MULTILINE`, so `^`/`$` are line anchors inside the windows the matcher hands over, and
/// with any of CR, LF, CRLF as the newline.
final class PCRE2Pattern: @unchecked Sendable {
    // Safety (@unchecked Sendable): `code` is never mutated after init; PCRE2 documents compiled
    // code (including its JIT code) as safe to share between threads for matching, each thread
    // bringing its own match data (PCRE2Scratch).
    private let code: OpaquePointer
    /// Number of capture groups in the pattern.
    let captureCount: Int
    /// Whether JIT compilation succeeded (it can fail on exotic patterns; the interpreter is used then).
    let isJIT: Bool

    init(_ pattern: String) throws(PCRE2Error) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        // CR, LF and CRLF all end a line, so `$` and `.` behave the same on files written on Windows.
        let context = pcre2_compile_context_create_8(nil)
        defer { pcre2_compile_context_free_8(context) }
        pcre2_set_newline_8(context, UInt32(PCRE2_NEWLINE_ANYCRLF))
        // Safety: pcre2_compile_8 reads exactly `bytes.count` code units; it copies what it needs.
        let compiled = bytes.withUnsafeBufferPointer {
            pcre2_compile_8($0.baseAddress, $0.count, UInt32(PCRE2_MULTILINE), &errorCode, &errorOffset, context)
        }
        guard let compiled else { throw PCRE2Error(code: errorCode, offset: errorOffset) }
        code = compiled
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        isJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit { pcre2_code_free_8(code) }

    /// Finds the first match at or after `start` in `subject[0..<end]`.
    ///
    /// Bytes before `start` stay visible to lookbehind and `\b`, so a window can start mid-buffer.
    /// Returns the byte ranges of the whole match (index 0) and of each group (nil when unset),
    /// or nil when there is no match or a resource limit was hit (counted in `scratch`).
    func firstMatch(in subject: UnsafeRawBufferPointer, from start: Int, end: Int,
                    scratch: PCRE2Scratch) -> [Range<Int>?]? {
        guard let base = subject.baseAddress, start <= end, end <= subject.count else { return nil }
        let pointer = base.assumingMemoryBound(to: UInt8.self)
        // Safety: the subject pointer is valid for `end` bytes for the duration of the call;
        // match data and match context belong to this thread's scratch.
        let result = isJIT
            ? pcre2_jit_match_8(code, pointer, end, start, 0, scratch.matchData, scratch.matchContext)
            : pcre2_match_8(code, pointer, end, start, 0, scratch.matchData, scratch.matchContext)
        if result == PCRE2_ERROR_NOMATCH { return nil }
        if result < 0 {
            scratch.limitErrors += 1
            return nil
        }
        let pairs = min(Int(pcre2_get_ovector_count_8(scratch.matchData)), captureCount + 1)
        guard let ovector = pcre2_get_ovector_pointer_8(scratch.matchData) else { return nil }
        var ranges = [Range<Int>?]()
        ranges.reserveCapacity(pairs)
        let unset = Int.max  // PCRE2_UNSET is ~(size_t)0, a macro Swift does not import
        for index in 0..<pairs {
            let lower = ovector[2 * index], upper = ovector[2 * index + 1]
            if lower == unset || upper == unset || Int(lower) > Int(upper) {
                ranges.append(nil)
            } else {
                ranges.append(Int(lower)..<Int(upper))
            }
        }
        return ranges
    }
}

/// Per-thread PCRE2 state: match data, match context with limits, and JIT stack.
///
/// Not Sendable on purpose: each worker owns one and never shares it.
final class PCRE2Scratch {
    fileprivate let matchData: OpaquePointer
    fileprivate let matchContext: OpaquePointer
    private let jitStack: OpaquePointer?
    /// Matches abandoned because a match or depth limit was hit (catastrophic backtracking).
    var limitErrors = 0

    /// Room for 64 groups, more than any signature needs; one allocation serves every pattern.
    init() {
        guard let data = pcre2_match_data_create_8(64, nil), let context = pcre2_match_context_create_8(nil) else {
            preconditionFailure("pcre2: out of memory allocating match data")
        }
        matchData = data
        matchContext = context
        // Limits keep a pathological pattern/input pair from stalling a worker.
        pcre2_set_match_limit_8(context, 5_000_000)
        pcre2_set_depth_limit_8(context, 100_000)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(matchContext)
        pcre2_match_data_free_8(matchData)
    }
}
