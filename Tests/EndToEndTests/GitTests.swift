import Foundation
import SprawlTestSupport
import Testing

/// History, range and staged scans, hooks, suppressions, baselines and SARIF, on temporary git
/// repositories through the built binary.
@Suite struct GitTests {
    @Test func secretAddedThenDeletedIsFoundInHistoryWithItsCommit() throws {
        var fakes = FakeCredentials()
        let token = fakes.githubToken()
        let repository = TestRepository()
        repository.write("README.md", "hello\n")
        repository.commit("init", date: "2026-01-01T09:00:00Z")
        repository.write("deploy/.env", "A=1\nGITHUB_TOKEN=\(token)\n")
        let introducing = repository.commit("add deploy env", date: "2026-02-01T09:00:00Z")
        repository.remove("deploy/.env")
        repository.commit("remove it", date: "2026-03-01T09:00:00Z")
        let plain = SprawlProcess.run(["scan", repository.path, "--format", "json"])
        #expect(plain.status == 0, "the working tree no longer holds it: \(plain.transcript)")
        let history = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json"])
        #expect(history.status == 1, "\(history.transcript)")
        let finding = try #require(history.findings.first)
        #expect(history.findings.count == 1)
        #expect(finding["path"] as? String == "deploy/.env")
        #expect(finding["line"] as? Int == 2)
        #expect(finding["commit"] as? String == introducing)
        #expect(finding["author"] as? String == "Dev Example <dev@example.com>")
        #expect((finding["date"] as? String)?.hasPrefix("2026-02-01") == true)
        #expect(finding["source"] as? String == "git")
    }

    @Test func bareCloneHistoryScans() {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        repository.write("config.yml", "slack: \(fakes.slackBotToken())\n")
        repository.commit("config")
        let bare = TestDirectory()
        repository.cloneBare(to: bare.path + "/mirror.git")
        let output = SprawlProcess.run(["scan", "--git", bare.path + "/mirror.git", "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.findings.first?["path"] as? String == "config.yml")
        let sweep = SprawlProcess.run(["sweep", "--git", bare.path, "--format", "json"])
        #expect(sweep.findings.first?["path"] as? String == "mirror.git/config.yml", "\(sweep.transcript)")
    }

    @Test func rangeReportsOnlyWhatItsCommitsIntroduced() throws {
        var fakes = FakeCredentials()
        let old = fakes.githubToken(), new = fakes.stripeLiveKey()
        let repository = TestRepository()
        repository.write("app/.env", "GITHUB_TOKEN=\(old)\n")
        let base = repository.commit("old secret")
        repository.write("app/.env", "GITHUB_TOKEN=\(old)\nSTRIPE_SECRET_KEY=\(new)\n")
        let head = repository.commit("new secret")
        let output = SprawlProcess.run(["scan", "--git", "--range", "\(base)..\(head)", repository.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.findings.map { $0["rule"] as? String } == ["stripe-live-secret"], "\(output.transcript)")
        #expect(output.findings.first?["commit"] as? String == head)
        let since = SprawlProcess.run(["scan", "--git", "--since", head, repository.path, "--format", "json"])
        #expect(since.status == 0, "\(since.transcript)")
    }

    @Test func stagedBlocksACommitThatAddsASecretAndPassesOneThatDoesNot() {
        var fakes = FakeCredentials()
        let token = fakes.githubToken()
        let repository = TestRepository()
        repository.write("app/settings.env", "GITHUB_TOKEN=\(token)\n")
        repository.commit("existing secret")
        // Unrelated change to the file holding an old secret: nothing added, nothing blocked.
        repository.write("app/settings.env", "# settings\nGITHUB_TOKEN=\(token)\n")
        repository.git("add", "-A")
        let clean = SprawlProcess.run(["scan", "--staged"], in: repository.path)
        #expect(clean.status == 0, "\(clean.transcript)")
        repository.commit("comment")
        // The same secret copied to a new file is added by this commit, so it blocks.
        repository.write("deploy/ci.yml", "env:\n  TOKEN: \(token)\n")
        repository.git("add", "-A")
        let blocked = SprawlProcess.run(["scan", "--staged"], in: repository.path)
        #expect(blocked.status == 1, "\(blocked.transcript)")
        #expect(blocked.stderr.contains("commit blocked"))
        #expect(blocked.stderr.contains("deploy/ci.yml:2"))
        #expect(blocked.stderr.contains("sprawl:allow"))
        #expect(!blocked.stderr.contains(token) && !blocked.stdout.contains(token))
        // Staged content counts, not the working tree: unstaged edits do not hide the secret.
        repository.write("deploy/ci.yml", "env: {}\n")
        #expect(SprawlProcess.run(["scan", "--staged"], in: repository.path).status == 1)
    }

    @Test func hookInstallBlocksCommitsAndRespectsForeignHooks() {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        repository.write("README.md", "hi\n")
        repository.commit("init")
        let installed = SprawlProcess.run(["hook", "install", "--repository", repository.path])
        #expect(installed.status == 0, "\(installed.transcript)")
        repository.write("a.env", "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        repository.git("add", "-A")
        let commit = Process()
        commit.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        commit.arguments = ["git", "-C", repository.path, "commit", "-q", "-m", "leak"]
        commit.standardOutput = FileHandle.nullDevice
        commit.standardError = FileHandle.nullDevice
        try? commit.run()
        commit.waitUntilExit()
        #expect(commit.terminationStatus != 0, "the hook must block the commit")
        // A hook sprawl did not write is not replaced without --force.
        repository.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n")
        #expect(SprawlProcess.run(["hook", "install", "--repository", repository.path]).status == 2)
        #expect(SprawlProcess.run(["hook", "install", "--repository", repository.path, "--force"]).status == 0)
        #expect(SprawlProcess.run(["hook", "install", "--repository", repository.path]).status == 0, "re-installing our own hook is fine")
    }

    @Test func suppressionsAreAppliedAndCounted() throws {
        var fakes = FakeCredentials()
        let stripe = fakes.stripeLiveKey(), github = fakes.githubToken(), slack = fakes.slackBotToken()
        let directory = TestDirectory()
        directory.create("app/.env", contents: "STRIPE_SECRET_KEY=\(stripe) # sprawl:allow test key\nGITHUB_TOKEN=\(github)\n")
        directory.create("fixtures/keys.env", contents: "SLACK_BOT_TOKEN=\(slack)\n")
        directory.create("other/.env", contents: "NPM_TOKEN=npm_\(fakes.alphanumeric(36))\n")
        let githubPrint = SprawlProcess.run(["fingerprint"], stdin: github).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        directory.create(".sprawlignore", contents: "# reviewed\n\(githubPrint)\nfixtures/**\n")
        let output = SprawlProcess.run(["scan", directory.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.findings.map { $0["rule"] as? String } == ["npm-token"], "\(output.transcript)")
        #expect(output.summary["suppressed"] as? [String: Int] == ["inline": 1, "ignore-file": 2])
        directory.create(".sprawlignore", contents: "rule:npm-token\n\(githubPrint)\nfixtures/**\n")
        #expect(SprawlProcess.run(["scan", directory.path]).status == 0)
        directory.create(".sprawlignore", contents: "fp1:nothex\n")
        let bad = SprawlProcess.run(["scan", directory.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(".sprawlignore:1"), "\(bad.transcript)")
    }

    @Test func baselineReportsOnlyNewCredentials() {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        directory.create("a.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\n")
        let reports = TestDirectory()
        _ = SprawlProcess.run(["scan", directory.path, "--format", "json", "-o", reports.path + "/baseline.json"])
        #expect(SprawlProcess.run(["scan", directory.path, "--baseline", reports.path + "/baseline.json"]).status == 0)
        directory.create("b.env", contents: "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        let output = SprawlProcess.run(["scan", directory.path, "--baseline", reports.path + "/baseline.json", "--format", "json"])
        #expect(output.status == 1)
        #expect(output.findings.map { $0["path"] as? String } == ["b.env"])
        #expect(output.summary["suppressed"] as? [String: Int] == ["baseline": 1])
    }

    @Test func sarifValidatesAgainstTheSchema() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        directory.create("dir with space/.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\nSTRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        let output = SprawlProcess.run(["scan", directory.path, "--format", "sarif"])
        #expect(output.status == 1, "\(output.transcript)")
        let sarif = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let run = (sarif?["runs"] as? [[String: Any]])?.first
        let results = run?["results"] as? [[String: Any]] ?? []
        #expect(results.count == 2)
        #expect((results.first?["partialFingerprints"] as? [String: String])?["sprawlCredential/v1"]?.hasPrefix("fp1:") == true)
        let report = directory.create("report.sarif", contents: output.stdout)
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("testdata/sarif-schema-2.1.0.json").path
        let validation = SprawlProcess.command(["python3", "-c", """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.validate(doc, schema, cls=jsonschema.Draft4Validator)
            print("valid")
            """, schema, report])
        #expect(validation.status == 0 && validation.stdout == "valid\n", "SARIF does not validate:\n\(validation.transcript)")
    }
}
