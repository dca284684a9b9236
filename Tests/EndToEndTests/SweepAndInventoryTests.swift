import Foundation
import SprawlTestSupport
import Testing

/// Credentials, inventory flags, CODEOWNERS hints and sweeps, through the built binary.
@Suite struct SweepAndInventoryTests {
    func credential(_ output: SprawlProcess.Output, rule: String) -> [String: Any]? {
        output.credentials.first { $0["rule"] as? String == rule }
    }

    func flags(_ credential: [String: Any]?) -> Set<String> { Set(credential?["flags"] as? [String] ?? []) }

    func fingerprint(_ secret: String) -> String {
        SprawlProcess.run(["fingerprint"], stdin: secret).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func everyFlagFromTheInventory() throws {
        var fakes = FakeCredentials()
        let stripe = fakes.stripeLiveKey(), github = fakes.githubToken(), slack = fakes.slackBotToken(), npm = "npm_" + fakes.alphanumeric(36)
        let root = TestDirectory()
        root.create("payments/.env", contents: "STRIPE_SECRET_KEY=\(stripe)\nGITHUB_TOKEN=\(github)\n")
        root.create("payments/config/ci.yml", contents: "env:\n  GITHUB_TOKEN: \(github)\n")
        root.create("web/.env", contents: "SLACK_BOT_TOKEN=\(slack)\nGITHUB_TOKEN=\(github)\nNPM_TOKEN=\(npm)\n")
        let inventory = root.create("inventory.yaml", contents: """
            version: 1
            as_of: "2026-11-01"
            owners:
              - id: team-payments
                status: active
              - id: jdoe
                status: departed
            identities:
              - id: payments-stripe
                kind: api-key
                owner: team-payments
                last_rotated: "2026-01-01"
                rotation_days: 90
                fingerprints: ["\(fingerprint(stripe))"]
              - id: ci-github
                kind: token
                owner: jdoe
                last_rotated: "2026-10-20"
                rotation_days: 365
                fingerprints: ["\(fingerprint(github))"]
              - id: web-slack
                kind: token
                owner: team-web-unlisted
                fingerprints: ["\(fingerprint(slack))"]
            """)
        let output = SprawlProcess.run(["sweep", root.path + "/", "--inventory", inventory, "--format", "json", "--exclude", "inventory.yaml"])
        #expect(output.status == 1, "\(output.transcript)")
        let stripeCredential = credential(output, rule: "stripe-live-secret")
        #expect(flags(stripeCredential) == ["rotation-overdue"], "\(output.transcript)")
        #expect(stripeCredential?["identity"] as? String == "payments-stripe")
        #expect(stripeCredential?["owner"] as? String == "team-payments")
        let githubCredential = credential(output, rule: "github-pat-classic")
        // A personal access token in service configuration: a workload runs as a person.
        #expect(flags(githubCredential) == ["owner-departed", "duplicated", "cross-repo", "human-in-automation"])
        #expect((githubCredential?["locations"] as? [Any])?.count == 3)
        #expect((githubCredential?["repositories"] as? [String]) == ["payments", "web"])
        #expect(flags(credential(output, rule: "slack-bot-token")) == ["owner-departed"], "an owner missing from owners[] is unknown")
        #expect(flags(credential(output, rule: "npm-token")) == ["unowned", "human-in-automation"], "npm tokens are a user's")
        let owasp = githubCredential?["owasp_nhi"] as? [String] ?? []
        #expect(owasp.contains { $0.hasPrefix("NHI1") } && owasp.contains { $0.hasPrefix("NHI9") } && owasp.contains { $0.hasPrefix("NHI2") })
        let text = SprawlProcess.run(["sweep", root.path, "--inventory", inventory, "--exclude", "inventory.yaml"])
        #expect(text.stdout.contains("owner-departed"))
        #expect(text.stdout.contains("NHI7:2025 Long-Lived Secrets"))
        #expect(text.stdout.contains("Owner departed"))
        #expect(text.stdout.contains("Most duplicated"))
    }

    @Test func malformedInventoryNamesFileLineAndField() {
        let root = TestDirectory()
        root.create("a/.env", contents: "X=1\n")
        let inventory = root.create("inv.yaml", contents: """
            version: 1
            owners: []
            identities:
              - id: x
                kind: token
                fingerprints: ["fp1:not-hex"]
            """)
        let output = SprawlProcess.run(["scan", root.path + "/a", "--inventory", inventory])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("inv.yaml:6"), "\(output.transcript)")
        #expect(output.stderr.contains("identities[0].fingerprints[0]"))
        let badDate = root.create("inv2.yaml", contents: "version: 1\nas_of: 2026-13-01\n")
        let second = SprawlProcess.run(["scan", root.path + "/a", "--inventory", badDate])
        #expect(second.status == 2)
        #expect(second.stderr.contains("inv2.yaml:2") && second.stderr.contains("as_of"), "\(second.transcript)")
    }

    @Test func codeownersSuggestsOwnersWithLastMatchWinning() {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        repository.write(".github/CODEOWNERS", "# owners\n*           @acme/everyone\n/deploy/    @acme/platform\n*.env       @acme/app-team\n/deploy/*.env @acme/deploy-env\ndocs/*      @acme/docs\n")
        repository.write("CODEOWNERS", "* @ignored/because-github-dir-wins\n")
        repository.write("deploy/prod.env", "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        repository.write("deploy/k8s/values.yaml", "slackToken: \(fakes.slackBotToken())\n")
        repository.write("app/.env", "GITHUB_TOKEN=\(fakes.githubToken())\n")
        repository.write("docs/sub/howto.txt", "npm token npm_\(fakes.alphanumeric(36))\n")
        let output = SprawlProcess.run(["scan", repository.path, "--format", "json"])
        func suggested(_ rule: String) -> [String] { credential(output, rule: rule)?["suggested_owners"] as? [String] ?? [] }
        #expect(suggested("stripe-live-secret") == ["@acme/deploy-env"], "\(output.transcript)")
        #expect(suggested("slack-bot-token") == ["@acme/platform"])
        #expect(suggested("github-pat-classic") == ["@acme/app-team"])
        #expect(suggested("npm-token") == ["@acme/everyone"], "docs/* matches direct children only")
    }

    @Test func sweepCoversWorkingTreesBareClonesAndFolders() {
        var fakes = FakeCredentials()
        let shared = fakes.githubToken()
        let root = TestDirectory()
        let first = TestRepository(in: root, subdirectory: "work/alpha")
        first.write(".env", "GITHUB_TOKEN=\(shared)\n")
        first.commit("add env")
        let source = TestRepository()
        source.write("config/ci.yml", "token: \(shared)\n")
        source.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  password: \(Data("Zr8kQ2mX9vLp4Tz8Nw3H!".utf8).base64EncodedString())\n")
        source.commit("config")
        source.cloneBare(to: root.path + "/mirrors/beta.git")
        root.create("loose-folder/settings.env", contents: "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        root.create("notes.env", contents: "GITHUB_TOKEN=\(shared)\n")
        let output = SprawlProcess.run(["sweep", root.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        let repositories = (output.json["repositories"] as? [[String: Any]] ?? []).map { "\($0["name"]!) \($0["kind"]!)" }
        #expect(repositories.contains("work/alpha working-tree"), "\(repositories)")
        #expect(repositories.contains("mirrors/beta.git bare"), "\(repositories)")
        #expect(repositories.contains("loose-folder directory"), "\(repositories)")
        let github = credential(output, rule: "github-pat-classic")
        #expect(flags(github).isSuperset(of: ["cross-repo", "duplicated"]))
        let paths = Set((github?["locations"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
        #expect(paths == ["work/alpha/.env", "mirrors/beta.git/config/ci.yml", "notes.env"], "\(paths)")
        #expect(output.findings.contains { $0["path"] as? String == "mirrors/beta.git/k8s/secret.yaml" && $0["decoded"] as? String == "base64" })
        #expect(!output.findings.contains { ($0["path"] as? String ?? "").contains("/.git/") })
    }

    @Test func inventoryInitRoundTripsToNothingUnowned() throws {
        var fakes = FakeCredentials()
        let root = TestDirectory()
        root.create("repo/.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\nSTRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        root.create("repo/CODEOWNERS", contents: "* @acme/owners\n")
        let reports = TestDirectory()
        let first = SprawlProcess.run(["scan", root.path + "/repo", "--format", "json", "-o", reports.path + "/r.json"])
        #expect(first.status == 1)
        let skeleton = SprawlProcess.run(["inventory", "init", "--from", reports.path + "/r.json", "-o", reports.path + "/inv.yaml"])
        #expect(skeleton.status == 0, "\(skeleton.transcript)")
        let text = try String(contentsOfFile: reports.path + "/inv.yaml", encoding: .utf8)
        #expect(text.contains("# suggested owner (CODEOWNERS): @acme/owners"))
        #expect(SprawlProcess.run(["inventory", "check", reports.path + "/inv.yaml"]).status == 0)
        let second = SprawlProcess.run(["scan", root.path + "/repo", "--format", "json", "--inventory", reports.path + "/inv.yaml"])
        #expect(second.credentials.count == 2)
        #expect(second.credentials.allSatisfy { !(($0["flags"] as? [String]) ?? []).contains("unowned") }, "\(second.transcript)")
        #expect(second.credentials.allSatisfy { $0["identity"] is String })
    }
}
