import Testing
@testable import SprawlCore

@Suite struct MatcherTests {
    func signature(_ id: String, keywords: [String], pattern: String, generic: Bool = false, window: Int = 512) -> Signature {
        Signature(id: id, name: id, kind: .token, keywords: keywords, pattern: pattern, secretGroup: 1, minEntropy: nil,
                  validator: nil, isGeneric: generic, confidence: generic ? .low : .medium, subject: .unknown, secretEncoding: nil, window: window, references: [], examples: [],
                  negativeExamples: [], file: "test.yml", line: 1)
    }

    func matches(_ matcher: SignatureMatcher, _ text: String) -> [(String, String)] {
        var found = [SignatureMatch]()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { matcher.scan($0, scratch: MatcherScratch(for: matcher), into: &found) }
        return found.map { (matcher.signatures[$0.rule].id, String(decoding: bytes[$0.secret], as: UTF8.self)) }
    }

    @Test func prefilterFindsKeywordsIgnoringCase() {
        let prefilter = KeywordPrefilter(keywords: [Array("ghp_".utf8), Array("token".utf8), Array("to".utf8)])
        var hits = [KeywordPrefilter.Hit]()
        Array("x GHP_a Token".utf8).withUnsafeBytes { prefilter.hits(in: $0, into: &hits) }
        #expect(hits == [.init(keyword: 0, offset: 2), .init(keyword: 1, offset: 8), .init(keyword: 2, offset: 8)])
    }

    @Test func patternRunsOnlyWhereItsKeywordOccurs() {
        let matcher = SignatureMatcher(signatures: [signature("t", keywords: ["tok_"], pattern: #"\b(tok_[a-z0-9]{8})\b"#)])
        #expect(matches(matcher, "a tok_abcd1234 b").map(\.1) == ["tok_abcd1234"])
        #expect(matches(matcher, "TOK_abcd1234").isEmpty)  // the keyword is found, the pattern decides
    }

    @Test func windowsAroundDistantHitsFindEveryMatch() {
        let matcher = SignatureMatcher(signatures: [signature("t", keywords: ["tok_"], pattern: #"\b(tok_[a-z0-9]{8})\b"#, window: 32)])
        let filler = String(repeating: "x", count: 5000)
        let text = "tok_aaaa1111\n" + filler + "\nkey = tok_bbbb2222\n" + filler + " tok_cccc3333"
        #expect(matches(matcher, text).map(\.1) == ["tok_aaaa1111", "tok_bbbb2222", "tok_cccc3333"])
    }

    @Test func aMatchMayStartBeforeItsKeyword() {
        let matcher = SignatureMatcher(signatures: [signature("mc", keywords: ["-us"], pattern: #"\b([0-9a-f]{32}-us[0-9]{1,2})\b"#)])
        #expect(matches(matcher, "key: 0123456789abcdef0123456789abcdef-us12").map(\.1) == ["0123456789abcdef0123456789abcdef-us12"])
    }

    @Test func genericRulesYieldToSpecificOnes() {
        let matcher = SignatureMatcher(signatures: [
            signature("generic", keywords: ["token"], pattern: #"token=(\S+)"#, generic: true),
            signature("specific", keywords: ["ghp_"], pattern: #"(ghp_[A-Za-z0-9]{8})"#),
        ])
        #expect(matches(matcher, "token=ghp_abcdEFGH").map(\.0) == ["specific"])
        #expect(matches(matcher, "token=q7Rk2mX9").map(\.0) == ["generic"])
    }

    @Test func badPatternNamesTheRuleAndField() {
        let matcher = SignatureMatcher(signatures: [signature("broken", keywords: ["abc"], pattern: "(abc")])
        #expect(throws: SignatureError.self) { try matcher.compileAll() }
        do {
            try matcher.compileAll()
        } catch {
            #expect(error.description.contains("rule broken: field pattern"))
        }
    }

    @Test func secretGroupMustExist() {
        let matcher = SignatureMatcher(signatures: [signature("nogroup", keywords: ["abc"], pattern: "abc")])
        do {
            try matcher.compileAll()
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "secret_group")
        }
    }

    @Test func pathologicalBacktrackingIsBoundedAndCounted() {
        let matcher = SignatureMatcher(signatures: [signature("slow", keywords: ["aaa"], pattern: #"^((?:a+)+[^a])"#, window: 4096)])
        let scratch = MatcherScratch(for: matcher)
        var found = [SignatureMatch]()
        Array(String(repeating: "a", count: 3000).utf8).withUnsafeBytes { matcher.scan($0, scratch: scratch, into: &found) }
        #expect(found.isEmpty)
        #expect(scratch.limitErrors > 0)
    }
}
