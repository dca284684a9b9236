import Foundation
import SprawlTestSupport
import Testing

/// Runs the built binary on temporary directories, as a user or a CI job would.
@Suite struct ScanCommandTests {
    @Test func findingsExitOneWithJSONReport() throws {
        var fakes = FakeCredentials()
        let token = fakes.githubToken()
        let directory = TestDirectory()
        directory.create(".env", contents: "GITHUB_TOKEN=\(token)\n")
        directory.create("src/config.py", contents: "import os\nTOKEN = os.environ.get(\"GITHUB_TOKEN\", \"\(token)\")\n")
        let output = SprawlProcess.run(["scan", directory.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.findings.count == 2, "\(output.transcript)")
        let first = try #require(output.findings.first)
        #expect(first["rule"] as? String == "github-pat-classic")
        #expect(first["path"] as? String == ".env")
        #expect(first["line"] as? Int == 1)
        #expect(first["column"] as? Int == 14)
        #expect((first["fingerprint"] as? String)?.hasPrefix("fp1:") == true)
        #expect(output.credentials.count == 1)
        #expect((output.credentials.first?["flags"] as? [String])?.contains("duplicated") == true)
        // Never a plaintext secret unless asked.
        #expect(!output.stdout.contains(token))
        #expect(!output.stderr.contains(token))
        let shown = SprawlProcess.run(["scan", directory.path, "--format", "json", "--show-secrets"])
        #expect(shown.stdout.contains(token))
    }

    @Test func cleanTreeExitsZero() {
        let directory = TestDirectory()
        directory.create("README.md", contents: "# nothing to see\npassword: ${DB_PASSWORD}\n")
        let output = SprawlProcess.run(["scan", directory.path])
        #expect(output.status == 0, "\(output.transcript)")
        #expect(output.stdout.contains("No secrets found."))
        #expect(!output.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test func defaultSubcommandScansTheCurrentDirectory() {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        directory.create("app/.env", contents: "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        let output = SprawlProcess.run(["--format", "json"], in: directory.path)
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.findings.first?["path"] as? String == "app/.env")
    }

    @Test func missingPathIsAnInputError() {
        let output = SprawlProcess.run(["scan", "/nonexistent/sprawl-e2e"])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("/nonexistent/sprawl-e2e"))
    }

    @Test func usageErrorsExitTwo() {
        #expect(SprawlProcess.run(["scan", "--format", "xml"]).status == 2)
        #expect(SprawlProcess.run(["scan", "--max-file-size", "lots"]).status == 2)
        #expect(SprawlProcess.run(["frobnicate", "--now"]).status == 2)
        let help = SprawlProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("scan"))
        #expect(SprawlProcess.run(["--version"]).status == 0)
    }

    /// A user rule file holding one `acme-token` rule with `pattern`.
    func userRules(pattern: String, example: String) -> TestDirectory {
        let rules = TestDirectory()
        rules.create("mine.yml", contents: """
            rules:
              - id: acme-token
                name: ACME token
                kind: token
                keywords: ["acme_"]
                pattern: '\(pattern)'
                examples: ['\(example)']
            """)
        return rules
    }

    @Test func badUserRuleNamesFileRuleAndField() {
        let rules = userRules(pattern: "(acme_[a-z]{8}", example: "«acme_abcdefgh»")
        let directory = TestDirectory()
        directory.create("a.txt", contents: "hello")
        let output = SprawlProcess.run(["scan", directory.path, "--signatures", rules.path])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("mine.yml:2"), "\(output.transcript)")
        #expect(output.stderr.contains("rule acme-token"))
        #expect(output.stderr.contains("field pattern"))
    }

    @Test func userRulesAreApplied() {
        let rules = userRules(pattern: #"\b(acme_[a-z0-9]{16})\b"#, example: "«acme_abcdefgh12345678»")
        let directory = TestDirectory()
        directory.create("a.txt", contents: "key = acme_q8w7e6r5t4y3u2i1\n")
        let output = SprawlProcess.run(["scan", directory.path, "--signatures", rules.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.findings.first?["rule"] as? String == "acme-token")
        let check = SprawlProcess.run(["signatures", "check", "--signatures", rules.path])
        #expect(check.status == 0, "\(check.transcript)")
    }

    /// testdata/rule-formats: rule files of gitleaks, Nosey Parker and Kingfisher.
    static let ruleFormats = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/rule-formats").path

    @Test func importedRuleFormatsAreApplied() {
        let directory = TestDirectory()
        directory.create("deploy.sh", contents: "export ACME=acmedt_ujzde8gxd6ncf10epf91dhod\n")
        directory.create("app.yml", contents: "quasar: qsr_sTy4Qwb8DwkNhFdnXsiVpzz63FfkCz\nlumen: lmn_hvdgaj8gxbenyjqwx4hh5344tfjgvq4k7bn7\n")
        // Allowed by the gitleaks rule's stopwords: not reported.
        directory.create("docs.txt", contents: "zeta_key=SampleJ2isAjIhKtJ0RlgLKOmxgJTeKd\n")
        var arguments = ["scan", directory.path, "--format", "json"]
        for format in ["gitleaks", "noseyparker", "kingfisher"] { arguments += ["--signatures", Self.ruleFormats + "/" + format] }
        let output = SprawlProcess.run(arguments)
        #expect(output.status == 1, "\(output.transcript)")
        let rules = Set(output.findings.compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["gitleaks-acme-deploy-token", "np-quasar-1", "kingfisher-lumen-1"]), "\(output.transcript)")
        #expect(!output.findings.contains { $0["path"] as? String == "docs.txt" }, "\(output.transcript)")
        let check = SprawlProcess.run(["signatures", "check"] + arguments.dropFirst(4))
        #expect(check.status == 0, "\(check.transcript)")
    }

    @Test func unsupportedImportedConstructExitsTwoNamingFileLineAndField() throws {
        let rules = TestDirectory()
        try FileManager.default.copyItem(atPath: Self.ruleFormats + "/bad/regex-target-line.toml", toPath: rules.path + "/gitleaks.toml")
        let directory = TestDirectory()
        directory.create("a.txt", contents: "hello\n")
        let output = SprawlProcess.run(["scan", directory.path, "--signatures", rules.path])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("gitleaks.toml:7: rule acme-deploy-token: field rules[0].allowlists[0].regexTarget"),
                "\(output.transcript)")
        #expect(output.stderr.contains("\"line\" is not supported"), "\(output.transcript)")
        let check = SprawlProcess.run(["signatures", "check", "--signatures", rules.path])
        #expect(check.status == 2, "\(check.transcript)")
    }

    @Test func skippedFilesAreCountedAndListedWithVerbose() {
        let directory = TestDirectory()
        directory.createBytes("image.png", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00])
        directory.create("big.log", contents: String(repeating: "x", count: 4096))
        let output = SprawlProcess.run(["scan", directory.path, "--max-file-size", "1K", "--verbose"])
        #expect(output.status == 0, "\(output.transcript)")
        #expect(output.stdout.contains("skipped 2 (1 binary, 1 too-large)"), "\(output.transcript)")
        #expect(output.stdout.contains("skipped binary: image.png"))
        let json = SprawlProcess.run(["scan", directory.path, "--max-file-size", "1K", "--format", "json"])
        let skipped = json.summary["skipped"] as? [String: Int]
        #expect(skipped == ["binary": 1, "too-large": 1])
    }

    @Test func outputFileReceivesTheReport() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        directory.create("a.env", contents: "SLACK_BOT_TOKEN=\(fakes.slackBotToken())\n")
        let out = TestDirectory()
        let output = SprawlProcess.run(["scan", directory.path, "--format", "json", "--output", out.path + "/r.json"])
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        let data = try Data(contentsOf: URL(fileURLWithPath: out.path + "/r.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect((json?["findings"] as? [Any])?.count == 1)
        #expect(json?["version"] as? Int == 1)
    }

    @Test func closedStdoutEndsQuietly() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        for index in 0..<200 { directory.create("f\(index).env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\n") }
        // Exit status 1 (findings) proves sprawl finished; killed by SIGPIPE it would be 141.
        let output = SprawlProcess.command(["bash", "-c", "'\(SprawlProcess.binary)' scan '\(directory.path)' | head -1 >/dev/null; echo \"status=${PIPESTATUS[0]}\""])
        #expect(output.stdout == "status=1\n", "\(output.transcript)")
        #expect(!output.stderr.contains("Broken pipe") && !output.stderr.contains("error"), "\(output.transcript)")
    }

    @Test func fingerprintReadsStandardInput() {
        let output = SprawlProcess.run(["fingerprint"], stdin: "hunter2\n")
        #expect(output.status == 0, "\(output.transcript)")
        #expect(output.stdout == "fp1:a5998e660582597571d0533054a6c5adecdcb00461ca0de5724d3bb22e71ea52\n")
        let keyed = SprawlProcess.run(["fingerprint"], stdin: "hunter2", environment: ["SPRAWL_FINGERPRINT_KEY": "org-key"])
        #expect(keyed.stdout == "fp1:c7239ccc8fa532007bde52a1fcd70a5b496c9d79e1f17e7bd188ad0955f435ec\n")
        #expect(SprawlProcess.run(["fingerprint"], stdin: "").status == 2)
    }

    @Test func fingerprintOfAPEMKeyMatchesTheScan() {
        var fakes = FakeCredentials()
        let key = fakes.pemPrivateKey()
        let directory = TestDirectory()
        directory.create("server.key", contents: key)
        let scan = SprawlProcess.run(["scan", directory.path, "--format", "json"])
        let printed = SprawlProcess.run(["fingerprint", "--canonicalize"], stdin: key)
        #expect(scan.findings.first?["fingerprint"] as? String == printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(scan.transcript)")
    }
}
