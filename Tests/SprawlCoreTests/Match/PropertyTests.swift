import Foundation
import SprawlTestSupport
import Testing
@testable import SprawlCore

/// The fast paths checked against obvious reference implementations on random inputs: what the
/// speed work must not have changed.
@Suite struct PropertyTests {
    /// Bytes drawn mostly from the keywords' letters (in both cases), so that hits, near misses and
    /// overlapping keywords are common, with some arbitrary bytes.
    static func buffer(_ length: Int, _ alphabet: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        (0..<length).map { _ in
            Int.random(in: 0..<8, using: &random) == 0 ? UInt8.random(in: 0...255, using: &random) : alphabet.randomElement(using: &random)!
        }
    }

    @Test func prefilterFindsExactlyTheOccurrencesANaiveSearchFinds() {
        let keywords = ["ab", "abc", "bca", "ghp_", "xoxb-", "akia", "-----begin", "pa", "pass", "password", "z9", "aa", "_-"]
            .map { Array($0.utf8) }
        let prefilter = KeywordPrefilter(keywords: keywords)
        let alphabet = Array("abcABCghpGHP_xoXOb-kiKIz9-BEGINbeginsSwWrRdD".utf8)
        var random = SplitMix(seed: 42)
        func fold(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
        for length in 0...64 {
            for _ in 0..<300 {
                let bytes = Self.buffer(length, alphabet, &random)
                var hits = [KeywordPrefilter.Hit]()
                bytes.withUnsafeBytes { prefilter.hits(in: $0, into: &hits) }
                var expected = Set<[Int]>()
                for offset in 0..<bytes.count {
                    for (index, keyword) in keywords.enumerated() where offset + keyword.count <= bytes.count {
                        if keyword.indices.allSatisfy({ fold(bytes[offset + $0]) == keyword[$0] }) { expected.insert([offset, index]) }
                    }
                }
                let found = hits.map { [$0.offset, Int($0.keyword)] }
                #expect(Set(found) == expected && found.count == expected.count, "buffer \(bytes)")
                #expect(found.map { $0[0] } == found.map { $0[0] }.sorted(), "hits in offset order")
                if Set(found) != expected { return }
            }
        }
    }

    @Test func linePositionsAgreeWithRescanningTheLine() {
        let alphabet = Array("ab \"'\\\n\té".utf8)
        var random = SplitMix(seed: 7)
        for _ in 0..<2000 {
            let bytes = Self.buffer(Int.random(in: 0...80, using: &random), alphabet, &random)
            let offsets = (0..<Int.random(in: 0...6, using: &random)).map { _ in Int.random(in: 0...bytes.count, using: &random) }.sorted()
            bytes.withUnsafeBytes { buffer in
                var positions = LinePositions(buffer)
                for offset in offsets {
                    let (line, column) = positions.position(of: offset)
                    let lineStart = (bytes[..<offset].lastIndex(of: 0x0A) ?? -1) + 1
                    #expect(line == bytes[..<offset].filter { $0 == 0x0A }.count + 1)
                    #expect(column == bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1)
                    #expect(positions.quote == Canonicalizer.quoteContext(in: buffer, before: offset), "buffer \(bytes) offset \(offset)")
                }
            }
        }
    }

    /// The overlap resolution as first written: every candidate against every kept match.
    static func referenceResolve(_ candidates: [SignatureMatch], isGeneric: (Int) -> Bool) -> [SignatureMatch] {
        let sorted = candidates.sorted {
            $0.secret.lowerBound != $1.secret.lowerBound ? $0.secret.lowerBound < $1.secret.lowerBound
                : $0.secret.count != $1.secret.count ? $0.secret.count > $1.secret.count
                : $0.matchLength != $1.matchLength ? $0.matchLength > $1.matchLength : $0.rule < $1.rule
        }
        var kept = [SignatureMatch]()
        for candidate in sorted {
            var keep = true
            for (index, other) in kept.enumerated().reversed() where other.secret.overlaps(candidate.secret) {
                if isGeneric(candidate.rule) && !isGeneric(other.rule) {
                    keep = false
                } else if !isGeneric(candidate.rule) && isGeneric(other.rule) {
                    kept.remove(at: index)
                } else if other.secret.lowerBound <= candidate.secret.lowerBound && other.secret.upperBound >= candidate.secret.upperBound {
                    keep = false
                }
            }
            if keep { kept.append(candidate) }
        }
        return kept
    }

    @Test func overlapResolutionMatchesTheQuadraticReference() throws {
        let signatures = try SignatureLoader.builtin()
        let generic = signatures.indices.filter { signatures[$0].isGeneric }.prefix(3)
        let specific = signatures.indices.filter { !signatures[$0].isGeneric }.prefix(4)
        let rules = Array(generic) + Array(specific)
        let matcher = SignatureMatcher(signatures: signatures)
        var random = SplitMix(seed: 99)
        for _ in 0..<3000 {
            let candidates = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                let start = Int.random(in: 0...40, using: &random)
                return SignatureMatch(rule: rules.randomElement(using: &random)!,
                                      secret: start..<(start + Int.random(in: 1...15, using: &random)),
                                      matchLength: Int.random(in: 1...30, using: &random))
            }
            let fast = matcher.resolveOverlaps(candidates)
            let reference = Self.referenceResolve(candidates) { signatures[$0].isGeneric }
            #expect(fast == reference, "candidates \(candidates)")
            if fast != reference { return }
        }
    }

    @Test func overlapIndexAgreesWithComparingEveryRange() {
        var random = SplitMix(seed: 5)
        for _ in 0..<2000 {
            let ranges = (0..<Int.random(in: 0...10, using: &random)).map { _ in
                let start = Int.random(in: 0...50, using: &random)
                return start..<(start + Int.random(in: 0...12, using: &random))
            }
            let index = OverlapIndex(ranges)
            for _ in 0..<10 {
                let start = Int.random(in: 0...60, using: &random)
                let query = start..<(start + Int.random(in: 0...12, using: &random))
                #expect(index.overlapsAny(query) == ranges.contains { $0.overlaps(query) }, "ranges \(ranges) query \(query)")
            }
        }
    }

    @Test func pathBytesRoundTripAnyName() {
        // Valid UTF-8 pieces, stray continuation and lead bytes, and the escape code points' own encoding.
        let pieces: [[UInt8]] = [[0x61], [0x2E], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x94, 0x91], [0x80], [0xFF], [0xC3],
                                 [0xE2, 0x82], [0xF4, 0x8F, 0xBE, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]
        var random = SplitMix(seed: 11)
        for _ in 0..<5000 {
            let name = (0..<Int.random(in: 0...8, using: &random)).flatMap { _ in pieces.randomElement(using: &random)! }
            let text = PathBytes.string(name)
            #expect(PathBytes.bytes(text) == name, "name \(name)")
            if let valid = String(validating: name, as: UTF8.self), !text.unicodeScalars.contains(where: { $0.value >= 0x10FF80 }) {
                #expect(text == valid, "valid UTF-8 is kept as it is")
            }
        }
    }

    /// The glob matcher as first written (backtracking over stars), for small inputs.
    static func referenceGlob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        while p < pattern.endIndex {
            let byte = pattern[p]
            if byte == UInt8(ascii: "*") {
                let isDouble = p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*")
                let rest = p + (isDouble ? 2 : 1)
                if isDouble && rest < pattern.endIndex && pattern[rest] == UInt8(ascii: "/") {
                    if referenceGlob(pattern[(rest + 1)...], text[t...]) { return true }
                }
                var candidate = t
                while true {
                    if referenceGlob(pattern[rest...], text[candidate...]) { return true }
                    guard candidate < text.endIndex else { return false }
                    if !isDouble && text[candidate] == UInt8(ascii: "/") { return false }
                    candidate += 1
                }
            }
            guard t < text.endIndex else { return false }
            if byte == UInt8(ascii: "?") {
                guard text[t] != UInt8(ascii: "/") else { return false }
            } else if byte == UInt8(ascii: "["), let close = pattern[(p + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var set = pattern[(p + 1)..<close]
                let negated = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negated { set = set.dropFirst() }
                var found = false
                var index = set.startIndex
                while index < set.endIndex {
                    if index + 2 < set.endIndex && set[index + 1] == UInt8(ascii: "-") {
                        if set[index] <= set[index + 2], (set[index]...set[index + 2]).contains(text[t]) { found = true }
                        index += 3
                    } else {
                        if set[index] == text[t] { found = true }
                        index += 1
                    }
                }
                guard found != negated else { return false }
                p = close
            } else if byte != text[t] {
                return false
            }
            p += 1
            t += 1
        }
        return t == text.endIndex
    }

    @Test func globMatchesLikeTheBacktrackingReference() {
        let patternBytes = Array("ab/*?[]!-".utf8) + [UInt8(ascii: "*"), UInt8(ascii: "*"), UInt8(ascii: "/")]
        let textBytes = Array("ab/.".utf8)
        var random = SplitMix(seed: 3)
        for _ in 0..<20000 {
            let pattern = (0..<Int.random(in: 0...7, using: &random)).map { _ in patternBytes.randomElement(using: &random)! }
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in textBytes.randomElement(using: &random)! }
            let expected = Self.referenceGlob(pattern[...], text[...])
            #expect(Glob.match(Glob.tokens(pattern[...]), text[...]) == expected,
                    "pattern '\(String(decoding: pattern, as: UTF8.self))' text '\(String(decoding: text, as: UTF8.self))'")
        }
    }

    @Test func globOfManyStarsAnswersAtOnce() {
        // Exponential for a backtracking matcher (found by the FuzzGlob harness).
        let glob = Glob(String(repeating: "*a", count: 40) + "b")
        #expect(!glob.matches(String(repeating: "a", count: 200)))
        #expect(glob.matches(String(repeating: "a", count: 60) + "b"))
    }

    @Test func jsonTextWritesWhatJSONEncoderWrote() throws {
        struct Sample: Encodable {
            let name: String, count: Int, empty: [String], nested: [Inner], map: [String: Int], none: String?, flag: Bool
            struct Inner: Encodable { let path: String, line: Int }
        }
        let sample = Sample(name: "q\"uo\\te/slash\u{01}\n\té ✓ \u{10FFFF}", count: -3, empty: [],
                            nested: [.init(path: "a/b", line: 1), .init(path: "", line: 0)], map: [:], none: nil, flag: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(sample), as: UTF8.self) + "\n"
        let text = JSONText.object([
            ("name", .string(sample.name)), ("count", .int(sample.count)), ("empty", .array([])),
            ("nested", .array(sample.nested.map { .object([("path", .string($0.path)), ("line", .int($0.line))]) })),
            ("map", .object([])), ("none", sample.none.json), ("flag", .bool(sample.flag)),
        ]).rendered()
        #expect(text == expected)
    }
}
