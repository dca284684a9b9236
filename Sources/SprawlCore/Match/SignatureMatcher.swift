import Foundation

/// One hit of one signature in one buffer: the rule and the byte range of the secret.
public struct SignatureMatch: Equatable, Sendable {
    /// Index into `SignatureMatcher.signatures`.
    public var rule: Int
    /// The secret's bytes in the scanned buffer (the rule's secret group).
    public var secret: Range<Int>
    /// Length of the whole match: context a rule required around the secret (a provider's name).
    public var matchLength: Int = 0
    /// A confidence below the rule's: `low` for a value of a shape people type and generators
    /// do not (`abcdef123456…`, `ABCDEFGH…`, `1111…`), a provider's format filled in by hand;
    /// `medium` for a format whose checksum failed where the checksum is not documented as
    /// mandatory (npm).
    public var confidenceCap: Confidence?
    /// The value has a shape people type and generators do not (see `PlaceholderFilter.looksTyped`).
    /// A generic match of such a value is reported only in configuration that is not an example
    /// or template (a placeholder there, or a weak hand-made secret in use); source code and
    /// example files drop it.
    public var isTyped = false
}

/// Runs the signatures over bytes: keyword prefilter first, then PCRE2 in windows around the hits.
///
/// Built once per scan and shared read-only by all workers; each worker brings a `MatcherScratch`.
/// Patterns are compiled on first use (a pre-commit run of three small files compiles the few
/// rules whose keywords occur, not all of them); `compileAll()` compiles every pattern up front,
/// which is what user-supplied rules get so that a bad pattern fails before the scan starts.
public final class SignatureMatcher: Sendable {
    public let signatures: [Signature]
    let prefilter: KeywordPrefilter
    /// For each keyword of the prefilter, the rules that declared it.
    private let rulesByKeyword: [[Int]]
    private let store: PatternStore
    /// Provider names of the specific rules, which a generic match defers to.
    let providerNames: ProviderNames

    /// Bytes before a keyword hit that a window starts at most, so that a match may begin before
    /// its keyword (a name before the `=`, a hex key before its `-us1` suffix).
    static let lookbehind = 256

    public init(signatures: [Signature]) {
        self.signatures = signatures
        var keywordIndex = [[UInt8]: Int]()
        var keywords = [[UInt8]]()
        var rulesByKeyword = [[Int]]()
        for (rule, signature) in signatures.enumerated() {
            for keyword in Set(signature.keywords.map { Array($0.utf8) }) {
                if let index = keywordIndex[keyword] {
                    rulesByKeyword[index].append(rule)
                } else {
                    keywordIndex[keyword] = keywords.count
                    keywords.append(keyword)
                    rulesByKeyword.append([rule])
                }
            }
        }
        self.prefilter = KeywordPrefilter(keywords: keywords)
        self.rulesByKeyword = rulesByKeyword
        self.providerNames = ProviderNames(signatures: signatures)
        self.store = PatternStore(count: signatures.count)
    }

    /// The rules that declared keyword `index` of the prefilter.
    func rules(forKeyword index: Int) -> [Int] { rulesByKeyword[index] }

    /// Compiles every pattern now, failing with the first rule whose pattern is invalid.
    public func compileAll() throws(SignatureError) {
        try compile(signatures.indices)
    }

    /// Compiles the patterns of `rules` now (a user's rules: a bad one fails before the scan).
    public func compile(_ rules: Range<Int>) throws(SignatureError) {
        for index in rules { _ = try pattern(index) }
    }

    /// The compiled pattern (and allowlist patterns) of rule `index`, compiling on first use.
    func pattern(_ index: Int) throws(SignatureError) -> CompiledRule {
        let signature = signatures[index]
        return try store.pattern(index) { () throws(SignatureError) -> CompiledRule in
            let compiled: PCRE2Pattern
            do throws(PCRE2Error) {
                compiled = try PCRE2Pattern(signature.pattern)
            } catch {
                throw SignatureError(file: signature.file, line: signature.line, rule: signature.id, field: "pattern",
                                     message: error.description)
            }
            guard signature.secretGroup <= compiled.captureCount else {
                throw SignatureError(file: signature.file, line: signature.line, rule: signature.id, field: "secret_group",
                                     message: "the pattern has \(compiled.captureCount) capture groups, not \(signature.secretGroup)")
            }
            var allowlists = [CompiledAllowlist]()
            for list in signature.allowlists {
                var patterns = [PCRE2Pattern]()
                for text in list.patterns {
                    do throws(PCRE2Error) {
                        patterns.append(try PCRE2Pattern(text))
                    } catch {
                        throw SignatureError(file: signature.file, line: list.line, rule: signature.id, field: "allowlist regexes",
                                             message: error.description)
                    }
                }
                allowlists.append(CompiledAllowlist(list: list, patterns: patterns, stopwords: list.stopwords.map { Array($0.utf8) }))
            }
            return CompiledRule(pattern: compiled, allowlists: allowlists)
        }
    }

    /// Appends the matches of every signature in `buffer` to `matches`, sorted by position, with
    /// overlapping matches resolved (see `resolveOverlaps`).
    ///
    /// - Parameter includingGeneric: false skips generic rules entirely, for files where their
    ///   findings would be discarded anyway (tests, fixtures, documentation).
    public func scan(_ buffer: UnsafeRawBufferPointer, scratch: MatcherScratch, includingGeneric: Bool = true,
                     into matches: inout [SignatureMatch]) {
        scratch.hits.removeAll(keepingCapacity: true)
        prefilter.hits(in: buffer, into: &scratch.hits)
        guard !scratch.hits.isEmpty else { return }
        // Group hit offsets by rule, in offset order (hits are already sorted by offset).
        for index in scratch.triggered { scratch.offsetsByRule[index].removeAll(keepingCapacity: true) }
        scratch.triggered.removeAll(keepingCapacity: true)
        for hit in scratch.hits {
            for rule in rulesByKeyword[Int(hit.keyword)] where includingGeneric || !signatures[rule].isGeneric {
                if scratch.offsetsByRule[rule].isEmpty { scratch.triggered.append(rule) }
                if scratch.offsetsByRule[rule].last != hit.offset { scratch.offsetsByRule[rule].append(hit.offset) }
            }
        }
        let first = matches.count
        scratch.triggered.sort()
        for rule in scratch.triggered {
            scan(buffer, rule: rule, offsets: scratch.offsetsByRule[rule], scratch: scratch, into: &matches)
        }
        if matches.count - first > 1 {
            let resolved = resolveOverlaps(Array(matches[first...]))
            matches.replaceSubrange(first..., with: resolved)
        }
    }

    /// Runs one rule alone, without overlap resolution: what that rule would report by itself.
    public func scan(_ buffer: UnsafeRawBufferPointer, onlyRule rule: Int, scratch: MatcherScratch,
                     into matches: inout [SignatureMatch]) {
        scratch.hits.removeAll(keepingCapacity: true)
        prefilter.hits(in: buffer, into: &scratch.hits)
        var offsets = [Int]()
        for hit in scratch.hits where rulesByKeyword[Int(hit.keyword)].contains(rule) && offsets.last != hit.offset {
            offsets.append(hit.offset)
        }
        if !offsets.isEmpty { scan(buffer, rule: rule, offsets: offsets, scratch: scratch, into: &matches) }
    }

    private func scan(_ buffer: UnsafeRawBufferPointer, rule: Int, offsets: [Int], scratch: MatcherScratch,
                      into matches: inout [SignatureMatch]) {
        guard let compiled = scratch.pattern(rule, from: self) else { return }
        let signature = signatures[rule]
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = buffer.count
        var windowStart = -1, windowEnd = -1
        var lastSecret: Range<Int>?
        func flush() {
            guard windowStart >= 0 else { return }
            var position = windowStart
            while position < windowEnd {
                guard let ranges = compiled.pattern.firstMatch(in: buffer, from: position, end: windowEnd, scratch: scratch.pcre2),
                      let whole = ranges[0] else { break }
                position = max(whole.upperBound, position + 1)
                guard signature.secretGroup < ranges.count, let secret = ranges[signature.secretGroup],
                      !secret.isEmpty, secret != lastSecret else { continue }
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[secret])
                if let minimum = signature.minEntropy, EntropyDetector.shannonEntropy(bytes) < minimum { continue }
                var cap: Confidence?
                if let validator = signature.validator, !validator.accepts(ArraySlice(bytes)) {
                    guard let capped = validator.confidenceWhenFailed else { continue }
                    cap = capped
                }
                if !compiled.allowlists.isEmpty,
                   compiled.allows(secret: secret, match: whole, in: buffer, scratch: scratch.pcre2) { continue }
                if DocumentationKeys.isDocumented(bytes) { continue }
                let isTyped = PlaceholderFilter.looksTyped(bytes)
                if isTyped { cap = .low }
                // `telegram_token = "…"` whose value is not a Telegram token: the provider's own rule
                // knows its format and did not match, so the value is not that credential.
                if signature.isGeneric,
                   providerNames.occurs(in: UnsafeRawBufferPointer(rebasing: buffer[whole.lowerBound..<secret.lowerBound])) { continue }
                lastSecret = secret
                matches.append(SignatureMatch(rule: rule, secret: secret, matchLength: whole.count, confidenceCap: cap, isTyped: isTyped))
            }
        }
        // Offsets ascend, so what was learnt about the bytes for one offset serves the next: the
        // backward search for a line start stops at the previous offset, and the forward search
        // for a token's end resumes where the last one stopped. Each byte is looked at a bounded
        // number of times however densely the keyword repeats (`ghp_ghp_ghp_…` on one line).
        var previousOffset = -1, previousStart = 0
        var clearFrom = 0, clearTo = 0  // no token boundary in clearFrom..<clearTo
        for offset in offsets {
            // Start at the hit's line start (at most `lookbehind` back), end `window` bytes on,
            // extended to the end of the token there so that a window never cuts a secret in two.
            let floor = max(0, offset - Self.lookbehind)
            let stop = max(floor, previousOffset)
            var start = offset
            while start > stop && base[start - 1] != 0x0A { start -= 1 }
            if start == stop && start > 0 && base[start - 1] != 0x0A && stop > floor {
                start = max(floor, previousStart)  // the line began at or before the previous start
            }
            previousOffset = offset
            previousStart = start
            let reach = min(count, offset + signature.window)
            let ceiling = min(count, reach + 4096)
            var end = reach
            if end >= clearFrom && end < clearTo { end = clearTo }
            while end < ceiling && !Self.isTokenBoundary(base[end]) { end += 1 }
            if reach < end { (clearFrom, clearTo) = (reach, end) }
            if end == ceiling && ceiling < count && end > windowEnd { scratch.tokenEndCuts += 1 }
            if start <= windowEnd {
                windowEnd = max(windowEnd, end)
            } else {
                flush()
                windowStart = start
                windowEnd = end
            }
        }
        flush()
    }

    @inline(__always)
    static func isTokenBoundary(_ byte: UInt8) -> Bool {
        byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x27
            || byte == 0x3C || byte == 0x3E || byte == 0x60
    }

    /// Keeps one match per span: a match whose secret lies inside another rule's secret is dropped,
    /// and a generic rule yields to a specific one wherever their secrets overlap. Between two
    /// rules with the same secret, the one that required more context wins (a 1Password Connect
    /// token over a bare JWT), then the one defined first.
    func resolveOverlaps(_ candidates: [SignatureMatch]) -> [SignatureMatch] {
        let sorted = candidates.sorted {
            $0.secret.lowerBound != $1.secret.lowerBound ? $0.secret.lowerBound < $1.secret.lowerBound
                : $0.secret.count != $1.secret.count ? $0.secret.count > $1.secret.count
                : $0.matchLength != $1.matchLength ? $0.matchLength > $1.matchLength : $0.rule < $1.rule
        }
        // Candidates come in order of their start, so a kept match that ends before the current
        // candidate starts can overlap no later one: only the `open` ones are compared, which keeps
        // a file with a hundred thousand matches linear rather than quadratic.
        var kept = [SignatureMatch?]()
        var open = [Int]()
        for candidate in sorted {
            open.removeAll { kept[$0] == nil || kept[$0]!.secret.upperBound <= candidate.secret.lowerBound }
            let isGeneric = signatures[candidate.rule].isGeneric
            var keep = true
            for index in open {
                guard let other = kept[index], other.secret.overlaps(candidate.secret) else { continue }
                let otherIsGeneric = signatures[other.rule].isGeneric
                if isGeneric && !otherIsGeneric {
                    keep = false
                } else if !isGeneric && otherIsGeneric {
                    kept[index] = nil
                } else if other.secret.lowerBound <= candidate.secret.lowerBound
                            && other.secret.upperBound >= candidate.secret.upperBound {
                    keep = false
                }
            }
            if keep {
                open.append(kept.count)
                kept.append(candidate)
            }
        }
        return kept.compactMap { $0 }
    }
}

/// Per-worker matching state: PCRE2 match data, reused hit buffers, and the worker's view of the
/// compiled patterns (so the shared store's lock is taken once per rule per worker).
public final class MatcherScratch {
    let pcre2 = PCRE2Scratch()
    var hits = [KeywordPrefilter.Hit]()
    var offsetsByRule: [[Int]]
    var triggered = [Int]()
    /// Windows whose token end was not found within the cap (see `WorkLimit.tokenEnd`).
    var tokenEndCuts = 0
    private var patterns: [CompiledRule?]
    private var failed: Set<Int> = []
    /// Patterns that failed to compile during the scan (only possible for unchecked rules).
    public private(set) var compileErrors = [SignatureError]()

    public init(for matcher: SignatureMatcher) {
        offsetsByRule = Array(repeating: [], count: matcher.signatures.count)
        patterns = Array(repeating: nil, count: matcher.signatures.count)
    }

    /// Match-time resource limits hit (each is one abandoned match attempt).
    public var limitErrors: Int { pcre2.limitErrors }

    func pattern(_ rule: Int, from matcher: SignatureMatcher) -> CompiledRule? {
        if let compiled = patterns[rule] { return compiled }
        guard !failed.contains(rule) else { return nil }
        do {
            let compiled = try matcher.pattern(rule)
            patterns[rule] = compiled
            return compiled
        } catch {
            failed.insert(rule)
            compileErrors.append(error)
            return nil
        }
    }
}

/// A rule's compiled pattern and allowlists.
struct CompiledRule {
    let pattern: PCRE2Pattern
    let allowlists: [CompiledAllowlist]

    /// Whether an allowlist accepts the match (gitleaks semantics: see `SecretAllowlist`).
    func allows(secret: Range<Int>, match: Range<Int>, in buffer: UnsafeRawBufferPointer, scratch: PCRE2Scratch) -> Bool {
        allowlists.contains { $0.allows(secret: secret, match: match, in: buffer, scratch: scratch) }
    }
}

struct CompiledAllowlist {
    let list: SecretAllowlist
    let patterns: [PCRE2Pattern]
    let stopwords: [[UInt8]]

    func allows(secret: Range<Int>, match: Range<Int>, in buffer: UnsafeRawBufferPointer, scratch: PCRE2Scratch) -> Bool {
        var checks = [Bool]()
        if !patterns.isEmpty {
            let target = UnsafeRawBufferPointer(rebasing: buffer[list.target == .match ? match : secret])
            checks.append(patterns.contains { $0.firstMatch(in: target, from: 0, end: target.count, scratch: scratch) != nil })
        }
        if !stopwords.isEmpty {
            let lowered = buffer[secret].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            checks.append(stopwords.contains { word in lowered.containsBytes(word) })
        }
        return list.requiresAll ? !checks.isEmpty && !checks.contains(false) : checks.contains(true)
    }
}

/// Compiled patterns, created on first use and shared by every worker.
final class PatternStore: @unchecked Sendable {
    // Safety (@unchecked Sendable): `slots` is only read or written while holding `lock`.
    private let lock = NSLock()
    private var slots: [CompiledRule?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func pattern(_ index: Int, compile: () throws(SignatureError) -> CompiledRule) throws(SignatureError) -> CompiledRule {
        lock.lock()
        defer { lock.unlock() }
        if let compiled = slots[index] { return compiled }
        let compiled = try compile()
        slots[index] = compiled
        return compiled
    }
}
