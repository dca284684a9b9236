import Foundation
import SprawlTestSupport
import Testing

/// NHI risk from evidence (issue 11): ages and presence from back-dated git histories,
/// environments from paths and content, people's credentials in automation, through the binary.
@Suite struct NHIEvidenceTests {
    /// An ISO 8601 instant `days` before now, as git takes it in GIT_AUTHOR_DATE.
    static func daysAgo(_ days: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(-Double(days) * 86_400))
    }

    static func credential(_ output: SprawlProcess.Output, fingerprintOf path: String, line: Int = 1) -> [String: Any]? {
        guard let finding = output.findings.first(where: { $0["path"] as? String == path && $0["line"] as? Int == line }),
              let fingerprint = finding["fingerprint"] as? String else { return nil }
        return output.credentials.first { $0["fingerprint"] as? String == fingerprint }
    }

    static func flags(_ credential: [String: Any]?) -> [String] { credential?["flags"] as? [String] ?? [] }

    @Test func agesAndPresenceComeFromBackDatedHistory() throws {
        var fakes = FakeCredentials(seed: 11)
        let old = fakes.stripeLiveKey(), deleted = fakes.githubToken(prefix: "ghs_"), fresh = fakes.slackBotToken()
        let repository = TestRepository()
        repository.write("config/billing.env", "STRIPE_SECRET_KEY=\(old)\n")
        let oldCommit = repository.commit("billing", date: Self.daysAgo(400))
        repository.write("deploy/token.env", "GITHUB_TOKEN=\(deleted)\n")
        repository.commit("deploy token", date: Self.daysAgo(300))
        repository.remove("deploy/token.env")
        repository.commit("remove the deploy token", date: Self.daysAgo(200))
        repository.write("chat/bot.env", "SLACK_BOT_TOKEN=\(fresh)\n")
        let freshCommit = repository.commit("slack bot", date: Self.daysAgo(1))

        let output = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        #expect(output.credentials.count == 3, "\(output.transcript)")

        let longLived = try #require(Self.credential(output, fingerprintOf: "config/billing.env"))
        #expect(Self.flags(longLived).contains("long-lived"), "\(longLived)")
        #expect(!Self.flags(longLived).contains("history-only"))
        let firstSeen = try #require(longLived["first_seen"] as? [String: Any])
        #expect(firstSeen["commit"] as? String == oldCommit)
        #expect((firstSeen["date"] as? String)?.prefix(10) == Self.daysAgo(400).prefix(10))
        #expect(firstSeen["author"] as? String == "Dev Example <dev@example.com>")
        #expect(longLived["present_in"] as? [String] == [output.findings[0]["repo"] as? String ?? ""])
        #expect((longLived["owasp_nhi"] as? [String])?.contains("NHI7:2025 Long-Lived Secrets") == true)

        let historyOnly = try #require(Self.credential(output, fingerprintOf: "deploy/token.env"))
        #expect(Self.flags(historyOnly).contains("history-only"), "\(historyOnly)")
        #expect(!Self.flags(historyOnly).contains("long-lived"), "absent from HEAD: not long-lived however old")
        #expect(historyOnly["present_in"] as? [String] == [])

        let recent = try #require(Self.credential(output, fingerprintOf: "chat/bot.env"))
        #expect(!Self.flags(recent).contains("long-lived") && !Self.flags(recent).contains("history-only"), "\(recent)")
        #expect((recent["first_seen"] as? [String: Any])?["commit"] as? String == freshCommit)

        #expect(output.summary["max_age_days"] as? Int == 90)
        let flagCounts = try #require(output.summary["flags"] as? [String: Int])
        #expect(flagCounts["long-lived"] == 1 && flagCounts["history-only"] == 1)

        // --max-age moves the line: at 500 days nothing is long-lived; at 0 both present ones are.
        let lenient = SprawlProcess.run(["scan", "--git", "--max-age", "500", repository.path, "--format", "json"])
        #expect(!Self.flags(Self.credential(lenient, fingerprintOf: "config/billing.env")).contains("long-lived"))
        let strict = SprawlProcess.run(["scan", "--git", "--max-age", "0", repository.path, "--format", "json"])
        #expect(Self.flags(Self.credential(strict, fingerprintOf: "chat/bot.env")).contains("long-lived"))

        // The text report says what to do, one line per flag.
        let text = SprawlProcess.run(["scan", "--git", repository.path, "--color", "never"])
        #expect(text.stdout.contains("long-lived            rotate it:"), "\(text.transcript)")
        #expect(text.stdout.contains("history-only          rotate it, then remove it from history"), "\(text.transcript)")
        #expect(text.stdout.contains("first committed " + Self.daysAgo(400).prefix(10)))
    }

    /// A blob that only a merge wrote (both branches changed the file; git merged it) is scanned
    /// and is what HEAD holds: the credential is present, not history-only.
    @Test func blobsOnlyAMergeWroteAreScanned() throws {
        var fakes = FakeCredentials(seed: 18)
        let key = fakes.stripeLiveKey()
        let repository = TestRepository()
        repository.write("config/app.env", "A=1\nSTRIPE_SECRET_KEY=\(key)\nC=3\n")
        repository.commit("app", date: Self.daysAgo(300))
        repository.git("checkout", "-q", "-b", "feature")
        repository.write("config/app.env", "A=1\nSTRIPE_SECRET_KEY=\(key)\nC=4\n")
        repository.commit("feature", date: Self.daysAgo(200))
        repository.git("checkout", "-q", "main")
        repository.write("config/app.env", "A=2\nSTRIPE_SECRET_KEY=\(key)\nC=3\n")
        repository.commit("main", date: Self.daysAgo(200))
        let date = Self.daysAgo(150)
        repository.git("merge", "-q", "--no-edit", "feature", environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
        let merge = repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(repository.git("show", "HEAD:config/app.env") == "A=2\nSTRIPE_SECRET_KEY=\(key)\nC=4\n")

        let output = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json"])
        #expect(output.findings.contains { $0["commit"] as? String == merge }, "the merged blob is scanned: \(output.transcript)")
        let credential = try #require(output.credentials.first)
        #expect(output.credentials.count == 1)
        #expect(!Self.flags(credential).contains("history-only"), "\(credential)")
        #expect(Self.flags(credential).contains("long-lived"), "\(credential)")
    }

    /// A bare clone whose HEAD names a branch that does not exist: nothing can be said about
    /// presence, so nothing is called deleted.
    @Test func unresolvableHeadDecidesNoPresence() throws {
        var fakes = FakeCredentials(seed: 19)
        let repository = TestRepository()
        repository.write("app.env", "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        repository.commit("app", date: Self.daysAgo(200))
        let bare = TestDirectory()
        repository.cloneBare(to: bare.path + "/mirror.git")
        let mirror = repository.git(in: bare.path + "/mirror.git", "symbolic-ref", "HEAD", "refs/heads/never-pushed")
        #expect(mirror.isEmpty)
        let output = SprawlProcess.run(["scan", "--git", bare.path + "/mirror.git", "--format", "json"])
        let credential = try #require(output.credentials.first, "\(output.transcript)")
        #expect(credential["first_seen"] != nil)
        #expect(credential["present_in"] == nil, "\(credential)")
        #expect(Self.flags(credential).allSatisfy { $0 != "history-only" && $0 != "long-lived" }, "\(credential)")
    }

    /// Folders above a swept repository are not its environment: a repository named `dev` holds
    /// no development files because of its name.
    @Test func sweepFolderNamesAreNotEnvironments() throws {
        var fakes = FakeCredentials(seed: 20)
        let root = TestDirectory()
        let repository = TestRepository(in: root, subdirectory: "dev")
        repository.write("app/settings.env", "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        repository.write(".env.production", "STRIPE_SECRET_KEY=\(fakes.stripeLiveKey())\n")
        repository.commit("settings")
        let output = SprawlProcess.run(["sweep", root.path, "--format", "json"])
        let environments = Dictionary(output.findings.map { ($0["path"] as? String ?? "", $0["environment"] as? String ?? "none") },
                                      uniquingKeysWith: { first, _ in first })
        #expect(environments["dev/app/settings.env"] == "none", "\(output.transcript)")
        #expect(environments["dev/.env.production"] == "production", "\(output.transcript)")
    }

    /// Keystores are found by their bytes, not by a rule's pattern: from history they carry the
    /// same provenance as any finding.
    @Test func keystoresFromHistoryCarryTheirCommit() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../testdata/keystores/fake-client.p12").standardizedFileURL
        let repository = TestRepository()
        repository.directory.createBytes("certs/client.p12", Array(try Data(contentsOf: url)))
        let commit = repository.commit("client certificate", date: Self.daysAgo(120))
        let output = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json"])
        let finding = try #require(output.findings.first, "\(output.transcript)")
        #expect(finding["rule"] as? String == "pkcs12-keystore")
        #expect(finding["commit"] as? String == commit)
        #expect(finding["in_current_tree"] as? Bool == true)
        #expect(Self.flags(output.credentials.first).contains("long-lived"), "\(output.transcript)")
    }

    @Test func aCredentialInTwoRepositoriesIsFirstSeenInTheEarlierOne() throws {
        var fakes = FakeCredentials(seed: 12)
        let shared = fakes.stripeLiveKey()
        let root = TestDirectory()
        let newer = TestRepository(in: root, subdirectory: "payments")
        newer.write("settings.env", "STRIPE_SECRET_KEY=\(shared)\n")
        newer.commit("copy the key", date: Self.daysAgo(30))
        let older = TestRepository(in: root, subdirectory: "billing")
        older.write("config/app.env", "STRIPE_SECRET_KEY=\(shared)\n")
        let first = older.commit("the key", date: Self.daysAgo(250))

        let output = SprawlProcess.run(["sweep", "--git", root.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        let credential = try #require(output.credentials.first)
        #expect(output.credentials.count == 1)
        let firstSeen = try #require(credential["first_seen"] as? [String: Any])
        #expect(firstSeen["commit"] as? String == first)
        #expect(firstSeen["repo"] as? String == "billing")
        #expect((credential["last_seen"] as? [String: Any])?["repo"] as? String == "payments")
        #expect(credential["present_in"] as? [String] == ["billing", "payments"])
        #expect(Self.flags(credential).contains("long-lived") && Self.flags(credential).contains("cross-repo"))
    }

    @Test func inventoryRotationLaterThanTheFirstCommitIsAContradiction() throws {
        var fakes = FakeCredentials(seed: 13)
        let key = fakes.stripeLiveKey(), other = fakes.stripeLiveKey(), retired = fakes.stripeLiveKey()
        let repository = TestRepository()
        repository.write("app.env", "STRIPE_SECRET_KEY=\(key)\nSTRIPE_RESTRICTED=\(other)\nSTRIPE_OLD=\(retired)\n")
        repository.commit("keys", date: Self.daysAgo(200))
        let fingerprints = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json"]).findings
            .sorted { ($0["line"] as? Int ?? 0) < ($1["line"] as? Int ?? 0) }.compactMap { $0["fingerprint"] as? String }
        #expect(fingerprints.count == 3)
        // The retired key was rotated away: removed from the code, left in history.
        repository.write("app.env", "STRIPE_SECRET_KEY=\(key)\nSTRIPE_RESTRICTED=\(other)\n")
        repository.commit("retire the old key", date: Self.daysAgo(30))
        let inventoryDirectory = TestDirectory()
        let inventory = inventoryDirectory.create("inventory.yml", contents: """
            version: 1
            owners:
              - id: payments-team
                status: active
            identities:
              - id: stripe-billing
                kind: api-key
                owner: payments-team
                last_rotated: "\(Self.daysAgo(20).prefix(10))"
                rotation_days: 365
                fingerprints: ["\(fingerprints[0])"]
              - id: stripe-restricted
                kind: api-key
                owner: payments-team
                last_rotated: "\(Self.daysAgo(250).prefix(10))"
                rotation_days: 365
                fingerprints: ["\(fingerprints[1])"]
              - id: stripe-retired
                kind: api-key
                owner: payments-team
                last_rotated: "\(Self.daysAgo(30).prefix(10))"
                rotation_days: 365
                fingerprints: ["\(fingerprints[2])"]
            """)
        let output = SprawlProcess.run(["scan", "--git", repository.path, "--inventory", inventory, "--format", "json"])
        let claimed = output.credentials.first { $0["identity"] as? String == "stripe-billing" }
        let consistent = output.credentials.first { $0["identity"] as? String == "stripe-restricted" }
        #expect(Self.flags(claimed).contains("rotation-contradicted"), "\(output.transcript)")
        #expect(!Self.flags(consistent).contains("rotation-contradicted"), "\(output.transcript)")
        let retiredCredential = output.credentials.first { $0["identity"] as? String == "stripe-retired" }
        #expect(Self.flags(retiredCredential).contains("history-only"), "\(output.transcript)")
        #expect(!Self.flags(retiredCredential).contains("rotation-contradicted"), "rotated away is no contradiction")
    }

    /// The same credential in production and development files of seven layouts is
    /// cross-environment in each; one environment alone is not.
    @Test(arguments: [
        ("helm", "deploy/values-prod.yaml", "deploy/values-dev.yaml"),
        ("dotenv", ".env.production", ".env.development"),
        ("kustomize", "k8s/overlays/production/secret.env", "k8s/overlays/staging/secret.env"),
        ("terraform-workspaces", "terraform.tfstate.d/prod/vars.tfvars", "terraform.tfstate.d/dev/vars.tfvars"),
        ("spring-profiles", "src/main/resources/application-prod.properties", "src/main/resources/application-dev.properties"),
        ("dotnet", "Api/appsettings.Production.json", "Api/appsettings.Development.json"),
        ("folders", "config/prod/app.yml", "config/dev/app.yml"),
    ])
    func sameCredentialInTwoEnvironmentsIsCrossEnvironment(layout: String, production: String, development: String) throws {
        var fakes = FakeCredentials(seed: 14)
        let key = fakes.stripeLiveKey(), alone = fakes.slackBotToken()
        let tree = TestDirectory("\(#function)-\(layout)")
        tree.create(production, contents: "STRIPE_SECRET_KEY = \"\(key)\"\nSLACK_BOT_TOKEN = \"\(alone)\"\n")
        tree.create(development, contents: "STRIPE_SECRET_KEY = \"\(key)\"\n")
        let output = SprawlProcess.run(["scan", tree.path, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        let shared = try #require(Self.credential(output, fingerprintOf: production))
        #expect(Self.flags(shared).contains("cross-environment"), "\(layout): \(output.transcript)")
        #expect(Set(shared["environments"] as? [String] ?? []).count == 2, "\(layout): \(shared)")
        #expect((shared["owasp_nhi"] as? [String])?.contains("NHI8:2025 Environment Isolation") == true)
        let single = try #require(Self.credential(output, fingerprintOf: production, line: 2))
        #expect(!Self.flags(single).contains("cross-environment"), "\(layout): \(single)")
        #expect(single["environments"] as? [String] == ["production"], "\(layout): \(single)")
    }

    /// Environments the content names: a Kubernetes namespace per YAML document, a GitHub
    /// Actions job's `environment:`.
    @Test func environmentsFromNamespacesAndWorkflowJobs() throws {
        var fakes = FakeCredentials(seed: 15)
        let key = fakes.stripeLiveKey()
        let tree = TestDirectory()
        tree.create("manifests/secrets.yaml", contents: """
            apiVersion: v1
            kind: Secret
            metadata:
              name: billing
              namespace: payments-prod
            stringData:
              STRIPE_SECRET_KEY: "\(key)"
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: billing
              namespace: payments-staging
            stringData:
              STRIPE_SECRET_KEY: "\(key)"
            """)
        tree.create(".github/workflows/deploy.yml", contents: """
            name: deploy
            on: push
            jobs:
              production:
                runs-on: ubuntu-latest
                environment:
                  name: production
                steps:
                  - run: ./deploy.sh
                    env:
                      STRIPE_SECRET_KEY: "\(key)"
              preview:
                runs-on: ubuntu-latest
                environment: dev
                steps:
                  - run: ./deploy.sh
                    env:
                      STRIPE_SECRET_KEY: "\(key)"
            """)
        let output = SprawlProcess.run(["scan", tree.path, "--format", "json"])
        let environments = Dictionary(output.findings.map { ("\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)", $0["environment"] as? String ?? "none") },
                                      uniquingKeysWith: { first, _ in first })
        #expect(environments["manifests/secrets.yaml:7"] == "production", "\(output.transcript)")
        #expect(environments["manifests/secrets.yaml:15"] == "staging", "\(output.transcript)")
        #expect(environments[".github/workflows/deploy.yml:11"] == "production", "\(output.transcript)")
        #expect(environments[".github/workflows/deploy.yml:18"] == "development", "\(output.transcript)")
        #expect(output.credentials.first?["environments"] as? [String] == ["production", "staging", "development"])
    }

    @Test func personalTokenInAWorkflowIsHumanInAutomation() throws {
        var fakes = FakeCredentials(seed: 16)
        let personal = fakes.githubToken(prefix: "ghp_"), installation = fakes.githubToken(prefix: "ghs_")
        let elsewhere = fakes.githubToken(prefix: "ghp_")
        let tree = TestDirectory()
        tree.create(".github/workflows/release.yml", contents: """
            jobs:
              release:
                runs-on: ubuntu-latest
                steps:
                  - run: gh release create
                    env:
                      GH_TOKEN: \(personal)
                      APP_TOKEN: \(installation)
            """)
        tree.create("scripts/notes.md", contents: "my token: \(elsewhere)\n")
        let output = SprawlProcess.run(["scan", tree.path, "--format", "json"])
        let human = try #require(Self.credential(output, fingerprintOf: ".github/workflows/release.yml", line: 7))
        #expect(human["subject"] as? String == "human")
        #expect(Self.flags(human).contains("human-in-automation"), "\(output.transcript)")
        #expect((human["owasp_nhi"] as? [String])?.contains("NHI1:2025 Improper Offboarding") == true)
        let app = try #require(Self.credential(output, fingerprintOf: ".github/workflows/release.yml", line: 8))
        #expect(app["subject"] as? String == "workload")
        #expect(!Self.flags(app).contains("human-in-automation"), "\(output.transcript)")
        let notAutomation = try #require(Self.credential(output, fingerprintOf: "scripts/notes.md"))
        #expect(!Self.flags(notAutomation).contains("human-in-automation"), "a person's token in a note is not a workload's")
        let finding = output.findings.first { $0["line"] as? Int == 7 }
        #expect(finding?["automation"] as? String == "ci")

        let sarif = SprawlProcess.run(["scan", tree.path, "--format", "sarif"])
        #expect(sarif.stdout.contains("human-in-automation: replace it with a workload identity"), "\(sarif.transcript)")
    }

    /// Shards of a history sweep merge into the same evidence and flags as one sweep.
    @Test func mergedShardsKeepTheEvidence() throws {
        var fakes = FakeCredentials(seed: 17)
        let shared = fakes.stripeLiveKey()
        let root = TestDirectory()
        for (index, name) in ["alpha", "beta", "gamma", "delta"].enumerated() {
            let repository = TestRepository(in: root, subdirectory: name)
            repository.write(index % 2 == 0 ? ".env.production" : ".env.development", "STRIPE_SECRET_KEY=\(shared)\n")
            repository.commit("key", date: Self.daysAgo(100 + 50 * index))
        }
        let whole = SprawlProcess.run(["sweep", "--git", root.path, "--format", "json"])
        let reports = TestDirectory()
        var paths = [String]()
        for shard in 0..<2 {
            let path = reports.path + "/shard\(shard).json"
            let run = SprawlProcess.run(["sweep", "--git", root.path, "--shard", "\(shard)/2", "--format", "json", "-o", path])
            #expect(run.status <= 1, "\(run.transcript)")
            paths.append(path)
        }
        let merged = SprawlProcess.run(["merge"] + paths + ["--format", "json"])
        #expect(merged.stdout == whole.stdout, "\(merged.transcript)\n\(whole.transcript)")
        let credential = try #require(whole.credentials.first)
        #expect(Set(Self.flags(credential)).isSuperset(of: ["long-lived", "cross-environment", "cross-repo"]), "\(credential)")
    }
}
