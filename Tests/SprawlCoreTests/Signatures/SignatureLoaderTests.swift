import Testing
@testable import SprawlCore

@Suite struct SignatureLoaderTests {
    func error(_ yaml: String) -> SignatureError? {
        do {
            _ = try SignatureLoader.rules(in: yaml, file: "bad.yml")
            return nil
        } catch { return error }
    }

    let valid = """
        rules:
          - id: demo-token
            name: Demo token
            kind: token
            keywords: ["demo_"]
            pattern: '(demo_[a-z]{8})'
            examples: ['x = «demo_abcdefgh»']
        """

    @Test func validRuleLoads() throws {
        let rules = try SignatureLoader.rules(in: valid, file: "ok.yml")
        #expect(rules.count == 1)
        #expect(rules[0].examples[0].secrets == [4..<17])
        #expect(rules[0].keywords == ["demo_"])
    }

    @Test(arguments: [
        ("kind: token", "kind: robot", "kind", 4),
        ("id: demo-token", "id: Demo Token", "id", 2),
        ("keywords: [\"demo_\"]", "keywords: []", "keywords", 2),
        ("examples: ['x = «demo_abcdefgh»']", "examples: ['x = demo_abcdefgh']", "examples[0]", 7),
        ("name: Demo token", "name: Demo token\n    colour: blue", "colour", 4),
    ])
    func badFieldIsNamedWithFileLineAndRule(original: String, replacement: String, field: String, line: Int) {
        let broken = valid.replacingOccurrences(of: original, with: replacement)
        guard let error = error(broken) else {
            Issue.record("expected an error for \(replacement)")
            return
        }
        #expect(error.file == "bad.yml")
        #expect(error.field.hasSuffix(field), "\(error)")
        #expect(error.line == line, "\(error)")
    }

    @Test func invalidYAMLIsAnError() {
        let error = error("rules:\n  - id: [unclosed\n")
        #expect(error?.field == "(document)")
        #expect(error?.line == 3 || error?.line == 2)
    }

    @Test func duplicateIDsAcrossFilesAreRejected() throws {
        let first = try SignatureLoader.rules(in: valid, file: "a.yml")
        let second = try SignatureLoader.rules(in: valid, file: "b.yml")
        #expect(throws: SignatureError.self) { try SignatureLoader.checkUnique(first + second) }
    }
}
