import Foundation
import Testing
@testable import SprawlCore

/// Importing gitleaks TOML and Nosey Parker / Kingfisher YAML rule files (testdata/rule-formats),
/// matching with the imported rules through the real matcher, and the errors for what is not
/// supported.
@Suite struct RuleImportTests {
    static let formats = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata/rule-formats").path

    func load(_ directory: String) throws -> [Signature] {
        try SignatureLoader.rules(inDirectory: Self.formats + "/" + directory)
    }

    /// Each (rule id, secret) the signatures find in `text`, through the matcher a scan uses.
    func secrets(_ signatures: [Signature], _ text: String) -> [(String, String)] {
        let matcher = SignatureMatcher(signatures: signatures)
        var found = [SignatureMatch]()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { matcher.scan($0, scratch: MatcherScratch(for: matcher), into: &found) }
        return found.map { (signatures[$0.rule].id, String(decoding: bytes[$0.secret], as: UTF8.self)) }
    }

    func signature(_ signatures: [Signature], _ id: String) throws -> Signature {
        try #require(signatures.first { $0.id == id }, "no rule \(id) in \(signatures.map(\.id))")
    }

    // MARK: gitleaks

    @Test func gitleaksConfigLoads() throws {
        let rules = try load("gitleaks")
        #expect(rules.map(\.id) == ["gitleaks-acme-deploy-token", "gitleaks-zeta-api-key", "gitleaks-orbit-password",
                                    "gitleaks-kappa-private-key"])
        #expect(rules.map(\.kind) == [.token, .apiKey, .serviceAccount, .certificate])
        #expect(rules.map(\.name) == ["Acme deploy token", "Zeta API key", "Orbit database password", "Kappa signing private key"])
        #expect(rules.allSatisfy { $0.confidence == .medium && $0.subject == .unknown })
        let kappa = try signature(rules, "gitleaks-kappa-private-key")
        #expect(kappa.keywords == ["kappa-sk-"], "derived from the literal prefix")
        #expect(kappa.secretGroup == 0, "no capture group: the whole match")
        let zeta = try signature(rules, "gitleaks-zeta-api-key")
        #expect(zeta.keywords == ["zeta"])
        #expect(zeta.secretGroup == 1)
        #expect(zeta.minEntropy.map { $0 > 3.0 && $0 < 3.0001 } == true, "gitleaks drops entropy <= 3.0")
        #expect(zeta.line == 24)
        // Each rule gets the global allowlist besides its own.
        #expect(rules.map(\.allowlists.count) == [2, 2, 2, 1])
        let matcher = SignatureMatcher(signatures: rules)
        try matcher.compileAll()
    }

    @Test(arguments: [
        ("deploy: acmedt_ujzde8gxd6ncf10epf91dhod\n", "gitleaks-acme-deploy-token", "acmedt_ujzde8gxd6ncf10epf91dhod"),
        ("zeta_key = \"KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd\"\n", "gitleaks-zeta-api-key", "KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd"),
        ("ZETA-KEY: KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd\n", "gitleaks-zeta-api-key", "KLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd"),
        ("orbit_password=Tr0ub4dor&3xyzQ\n", "gitleaks-orbit-password", "Tr0ub4dor&3xyzQ"),
        ("orbit_pass=changeme-2026-prod\n", "gitleaks-orbit-password", "changeme-2026-prod"),
        ("key: kappa-sk-6FDAEEB975729FAE923D5A4FD12AABFE228F219E\n", "gitleaks-kappa-private-key",
         "kappa-sk-6FDAEEB975729FAE923D5A4FD12AABFE228F219E"),
        // Controls for the allowlist cases below: one character off, so nothing allows them.
        ("zeta_key=SxmpleJ2isAjIhKtJ0RlgLKOmxgJTeKd\n", "gitleaks-zeta-api-key", "SxmpleJ2isAjIhKtJ0RlgLKOmxgJTeKd"),
        ("zeta_key=EXAMPLXisAjIhKtJ0RlgLKOmxgJTeKd0\n", "gitleaks-zeta-api-key", "EXAMPLXisAjIhKtJ0RlgLKOmxgJTeKd0"),
        ("deploy: acmedt_000000000000000000000001\n", "gitleaks-acme-deploy-token", "acmedt_000000000000000000000001"),
    ])
    func gitleaksRulesFindSecrets(text: String, rule: String, secret: String) throws {
        let found = secrets(try load("gitleaks"), text)
        #expect(found.count == 1 && found.first?.0 == rule && found.first?.1 == secret, "\(found)")
    }

    @Test(arguments: [
        // The rule's own allowlist (a regex on the secret).
        "deploy: acmedt_000000000000000000000000\n",
        // Stopwords, case-insensitively in the secret ([rules.allowlist] form).
        "zeta_key=SampleJ2isAjIhKtJ0RlgLKOmxgJTeKd\n",
        "zeta_key=KLzdocJ2isDUMMYtJ0RlgLKOmxgJTeKd\n",
        // The file's global allowlist applies to every rule.
        "zeta_key=EXAMPLEisAjIhKtJ0RlgLKOmxgJTeKd0\n",
        // entropy = 3.0: the secret must have more.
        "zeta_key=abababababababababababababababab\n",
        // condition AND with regexTarget match: the match has 'orbit_password=' and the secret a stopword.
        "orbit_password=changeme-2026-prod\n",
    ])
    func allowlistsAndStopwordsSuppress(text: String) throws {
        let rules = try load("gitleaks")
        #expect(secrets(rules, text).isEmpty, "\(secrets(rules, text))")
    }

    // MARK: Nosey Parker and Kingfisher

    @Test func noseyParkerRulesLoadAndPassTheirExamples() throws {
        let rules = try load("noseyparker")
        #expect(rules.map(\.id) == ["np-quasar-1", "np-helix-1", "np-vega-2"])
        #expect(rules.map(\.kind) == [.token, .apiKey, .serviceAccount])
        #expect(rules.map(\.keywords) == [["qsr_"], ["helix", "hlx"], ["vega://"]])
        #expect(rules.map(\.secretGroup) == [1, 1, 1])
        #expect(rules[0].references == ["https://quasar.example.invalid/docs/tokens"])
        #expect(rules[0].examples.first?.isUnmarked == true)
        let matcher = SignatureMatcher(signatures: rules)
        let problems = SignatureChecker(matcher: matcher).check()
        #expect(problems.isEmpty, "\(problems.map(\.description))")
        #expect(secrets(rules, "export QUASAR=qsr_sTy4Qwb8DwkNhFdnXsiVpzz63FfkCz\n").map(\.1) == ["qsr_sTy4Qwb8DwkNhFdnXsiVpzz63FfkCz"])
        #expect(secrets(rules, "url: vega://app:Wq8-zLp3+xR7@host\n").map(\.1) == ["Wq8-zLp3+xR7"])
    }

    @Test func kingfisherRulesLoadAndPassTheirExamples() throws {
        let rules = try load("kingfisher")
        #expect(rules.map(\.id) == ["kingfisher-lumen-1", "kingfisher-lumen-2"])
        #expect(rules.map(\.keywords) == [["lmn_"], ["lumen"]])
        #expect(rules.map(\.confidence) == [.high, .medium])
        #expect(rules.map(\.minEntropy) == [3.5, 4.0])
        let problems = SignatureChecker(matcher: SignatureMatcher(signatures: rules)).check()
        #expect(problems.isEmpty, "\(problems.map(\.description))")
        #expect(secrets(rules, "LMN_TOKEN=LMN_HVDGAJ8GXBENYJQWX4HH5344TFJGVQ4K7BN7\n").map(\.0) == ["kingfisher-lumen-1"])
        // Free-spacing mode: the spaces in the pattern are not part of what it matches.
        #expect(secrets(rules, "lumen:\n  client secret = xjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp0zV\n").map(\.1)
                    == ["xjSI6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp0zV"])
    }

    @Test func anUnmarkedExampleThatDoesNotMatchIsAProblem() throws {
        let yaml = """
            rules:
            - name: Quasar API Token
              id: np.quasar.1
              pattern: '\\b(qsr_[A-Za-z0-9]{30})\\b'
              examples:
              - 'QUASAR_TOKEN=qsr_short'
            """
        let rules = try SignatureLoader.rules(in: yaml, file: "np.yml")
        let problems = SignatureChecker(matcher: SignatureMatcher(signatures: rules)).check()
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("np.yml:6: rule np-quasar-1: example 1 should yield at least one secret") == true,
                "\(problems.map(\.description))")
    }

    @Test func sprawlFilesAreNotTakenForNoseyParkerOnes() throws {
        let yaml = """
            rules:
              - id: demo-token
                name: Demo token
                keywords: ["demo_"]
                pattern: '(demo_[a-z]{8})'
                examples: ['x = «demo_abcdefgh»']
            """
        #expect(throws: SignatureError.self) { try SignatureLoader.rules(in: yaml, file: "mine.yml") }
        do {
            _ = try SignatureLoader.rules(in: yaml, file: "mine.yml")
        } catch {
            #expect(error.field.hasSuffix("kind"), "a sprawl rule without kind is reported as such: \(error)")
        }
    }

    // MARK: Errors

    /// One bad file per unsupported construct: the error names the file, line, rule and field.
    @Test(arguments: [
        ("extend.toml", 3, nil, "extend", "[extend]"),
        ("path-only.toml", 4, "acme-keystore-file", "rules[0].path", "path-only"),
        ("regex-target-line.toml", 7, "acme-deploy-token", "rules[0].allowlists[0].regexTarget", "\"line\""),
        ("allowlist-paths.toml", 3, nil, "allowlist.paths", "path allowlists"),
        ("allowlist-commits.toml", 7, "acme-deploy-token", "rules[0].allowlist.commits", "commit allowlists"),
        ("unicode-class.toml", 3, "acme-name-token", "rules[0].regex", "Unicode classes"),
        ("no-keyword.toml", 4, "any-hex-key", "rules[0].keywords", "no keyword can be derived"),
        ("date.toml", 2, nil, "(document)", "dates and times"),
        ("inline-table.toml", 5, nil, "(document)", "inline tables"),
        ("kingfisher-depends-on-rule.yml", 6, "kingfisher.lumen.2", "rules[0].depends_on_rule", "depends_on_rule"),
        ("kingfisher-invisible.yml", 5, "kingfisher.lumen.3", "rules[0].visible", "visible: false"),
        ("kingfisher-pattern-requirements.yml", 6, "kingfisher.lumen.1", "rules[0].pattern_requirements", "pattern_requirements"),
        ("np-no-keyword.yml", 4, "np.hex.1", "rules[0].keywords", "no keyword can be derived"),
        ("np-class-operations.yml", 4, "np.consonant.1", "rules[0].pattern", "nested character classes"),
    ] as [(String, Int, String?, String, String)])
    func badFileNamesFileLineRuleAndField(name: String, line: Int, rule: String?, field: String, message: String) throws {
        let directory = NSTemporaryDirectory() + "sprawl-rule-import-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: Self.formats + "/bad/" + name, toPath: directory + "/" + name)
        do {
            let rules = try SignatureLoader.rules(inDirectory: directory)
            Issue.record("expected an error, loaded \(rules.map(\.id))")
        } catch {
            #expect(error.file == directory + "/" + name)
            #expect(error.line == line, "\(error)")
            #expect(error.rule == rule, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func gitleaksErrorsNameTheirField() {
        func error(_ toml: String) -> SignatureError? {
            do {
                _ = try SignatureLoader.gitleaksRules(in: toml, file: "g.toml")
                return nil
            } catch { return error }
        }
        let rule = "[[rules]]\nid = \"r\"\nregex = '''tok_([a-z]{8})'''\n"
        #expect(error(rule + "colour = \"blue\"\n")?.field == "rules[0].colour")
        #expect(error(rule + "secretGroup = 2\n")?.field == "rules[0].secretGroup")
        #expect(error(rule + "keywords = [\"t\"]\n")?.field == "rules[0].keywords")
        #expect(error("[[rules]]\nid = \"r\"\nregex = '''(a)(b)tok'''\nkeywords = [\"tok\"]\n")?.field == "rules[0].secretGroup")
        #expect(error("[[rules]]\nid = \"r\"\nregex = '''tok_(?=x)'''\n")?.message.contains("lookahead") == true)
        #expect(error(rule + "[[rules.allowlists]]\ncondition = \"XOR\"\nstopwords = [\"a\"]\n")?.field == "rules[0].allowlists[0].condition")
        #expect(error(rule + "[[rules.allowlists]]\ndescription = \"empty\"\n")?.message.contains("needs regexes or stopwords") == true)
        #expect(error("[[allowlists]]\ntargetRules = [\"nope\"]\nstopwords = [\"x\"]\n" + rule)?.field == "allowlists[0].targetRules[0]")
        #expect(error("title = \"no rules\"\n")?.field == "rules")
        #expect(error(rule + "[[rules.allowlists]]\nregexes = ['''(a''']\n")?.line == 5)
    }

    @Test func targetRulesLimitAGlobalAllowlist() throws {
        let toml = """
            [[allowlists]]
            targetRules = ["one"]
            stopwords = ["fake"]

            [[rules]]
            id = "one"
            regex = '''one_([a-z]{8})'''

            [[rules]]
            id = "two"
            regex = '''two_([a-z]{8})'''
            """
        let rules = try SignatureLoader.gitleaksRules(in: toml, file: "g.toml")
        #expect(rules.map(\.keywords) == [["one_"], ["two_"]])
        #expect(secrets(rules, "one_fakeabcd two_fakeabcd").map(\.0) == ["gitleaks-two"])
    }

    // MARK: Regex translation

    @Test(arguments: [
        (#"^tok_(\w+)$"#, RegexTranslator.Dialect.go, #"\Atok_(\w+)\z"#),
        (#"(?m)^tok$"#, .go, #"^tok$"#),
        (#"a\sb\S[\s.]"#, .go, #"a[\t\n\f\r ]b[^\t\n\f\r ][\t\n\f\r .]"#),
        (#"a\vb"#, .go, #"a\x0bb"#),
        (#"(?P<key>[a-z]+)"#, .go, #"(?<key>[a-z]+)"#),
        (#"(?i)ab(?-i:cd)(?U)e+"#, .go, #"(?i)ab(?-i:cd)(?U)e+"#),
        (#"[[:alnum:]_-]{4}"#, .go, #"[[:alnum:]_-]{4}"#),
        ("(?x)\n  a b  # comment\n  [ x y ]  c{2} \\ d\n", .rust, #"ab[xy]c{2}\x20d"#),
        (#"(?xi:a b)c"#, .rust, #"(?i:ab)c"#),
        (#"(?-u)\x41\x{42}\Q.*\E"#, .rust, #"AB\.\*"#),
    ])
    func patternsAreTranslated(source: String, dialect: RegexTranslator.Dialect, expected: String) throws {
        #expect(try RegexTranslator.translate(source, dialect: dialect).pattern == expected)
    }

    @Test(arguments: [
        (#"a(?=b)"#, "lookahead"), (#"(?<!a)b"#, "lookbehind"), (#"(a)\1"#, "backreferences"), ("é", "non-ASCII"),
        (#"\x{e9}"#, "0x7F"), (#"a{,3}"#, "{0,n}"), (#"a++"#, "nested repetition"), (#"\pL"#, "Unicode classes"),
        (#"(?x)a"#, "flag 'x'"), (#"[\S]"#, "\\S inside a class"), (#"a)"#, "unbalanced"),
    ])
    func untranslatableGoConstructsAreErrors(source: String, message: String) {
        do {
            let result = try RegexTranslator.translate(source, dialect: .go)
            Issue.record("translated to \(result.pattern)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test(arguments: [
        (#"(?i)(?:aws|amazon)_?secret=([a-z]{8})"#, ["amazon", "aws"]),
        (#"\bghp_[a-z]{36}"#, ["ghp_"]),
        (#"(?:x-)?token=(\w+)"#, nil),
        (#"ab+c"#, ["ab"]),
        (#"[a-f0-9]{32}"#, nil),
        (#"a|bc"#, nil),
    ] as [(String, [String]?)])
    func keywordsAreDerivedFromProvablePrefixes(source: String, expected: [String]?) throws {
        #expect(try RegexTranslator.translate(source, dialect: .go).prefixes == expected)
    }

    // MARK: TOML

    @Test func tomlSubsetParses() throws {
        let text = """
            # comment
            title = "a \\"quoted\\" \\u00e9 title"  # trailing comment
            literal = 'C:\\path\\[x]'
            multi = \"\"\"
            one \\
              two\"\"\"
            raw = '''
            line1
            line2'''
            numbers = [1, -2_000, 0x1F, 3.5, 1e2,]
            nested = [
              ["a", 'b'],  # comment inside an array
              [],
            ]
            flag = true
            dotted.key = "d"

            [[rules]]
            id = "one"
            [rules.allowlist]
            stopwords = ["s"]
            [[rules]]
            id = "two"
            [[rules.allowlists]]
            regexes = ['''x''']
            """
        let root = try TOML.parse(text)
        func string(_ value: TOML.Value?) -> String? { if case .string(let s)? = value?.kind { return s } else { return nil } }
        #expect(string(root["title"]) == "a \"quoted\" é title")
        #expect(string(root["literal"]) == #"C:\path\[x]"#)
        #expect(string(root["multi"]) == "one two")
        #expect(string(root["raw"]) == "line1\nline2")
        guard case .array(let numbers)? = root["numbers"]?.kind else { Issue.record("numbers"); return }
        #expect(numbers.count == 5)
        if case .integer(let value) = numbers[2].kind { #expect(value == 31) } else { Issue.record("hex") }
        if case .float(let value) = numbers[4].kind { #expect(value == 100) } else { Issue.record("exponent") }
        guard case .table(let dotted)? = root["dotted"]?.kind else { Issue.record("dotted"); return }
        #expect(string(dotted["key"]) == "d")
        guard case .array(let rules)? = root["rules"]?.kind, rules.count == 2,
              case .table(let second) = rules[1].kind, case .table(let first) = rules[0].kind else {
            Issue.record("rules")
            return
        }
        #expect(first.line == 18 && second.line == 22)
        #expect(first["allowlist"] != nil && second["allowlists"] != nil)
        #expect(root.line(of: "flag") == 15)
    }

    @Test(arguments: [
        ("a = 1\na = 2\n", 2, "duplicate key"),
        ("[t]\n[t]\n", 2, "defined twice"),
        ("a = \"open\n", 1, "unterminated string"),
        ("a = [1,\n2\n", 3, "unterminated array"),
        ("a = bare\n", 1, "unsupported value"),
        ("a = 07:32:00\n", 1, "dates and times"),
        ("a = \"\\q\"\n", 1, "invalid escape"),
        ("a = 1 b = 2\n", 1, "end of the line"),
    ])
    func tomlErrorsHaveLines(text: String, line: Int, message: String) {
        do {
            _ = try TOML.parse(text)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
