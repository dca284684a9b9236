import Foundation
import SprawlTestSupport
import Testing

/// Sweeps stored with --store and compared with `sprawl diff`.
@Suite struct StoreTests {
    @Test func diffListsExactlyTheDeletedCredentialsAsGone() throws {
        var fakes = FakeCredentials()
        let sweep = TestDirectory()
        let kept = fakes.githubToken(), removed = fakes.stripeLiveKey(), alsoRemoved = fakes.slackBotToken()
        sweep.create("api/.env", contents: "GITHUB_TOKEN=\(kept)\nSTRIPE=\(removed)\n")
        sweep.create("worker/.env", contents: "GITHUB_TOKEN=\(kept)\nSLACK=\(alsoRemoved)\n")
        let reports = TestDirectory()
        let store = reports.path + "/sprawl.db"
        let before = SprawlProcess.run(["sweep", sweep.path, "--store", store, "--format", "json"])
        #expect(before.status == 1, "\(before.transcript)")
        let fingerprints = Dictionary(uniqueKeysWithValues: before.credentials.map { ($0["rule"] as! String, $0["fingerprint"] as! String) })

        // Clean-up: the Stripe and Slack credentials are removed; the GitHub token stays in one place.
        sweep.create("api/.env", contents: "GITHUB_TOKEN=\(kept)\n")
        sweep.create("worker/.env", contents: "# moved to the vault\n")
        let after = SprawlProcess.run(["sweep", sweep.path, "--store", store, "--format", "json"])
        #expect(after.status == 1, "\(after.transcript)")

        let list = SprawlProcess.run(["diff", "--store", store, "--list"])
        #expect(list.stdout.split(separator: "\n").count == 2, "\(list.transcript)")
        let diff = SprawlProcess.run(["diff", "--store", store, "--format", "json"])
        #expect(diff.status == 0, "\(diff.transcript)")
        let gone = Set((diff.json["disappeared"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String })
        #expect(gone == [fingerprints["stripe-live-secret"]!, fingerprints["slack-bot-token"]!], "\(diff.transcript)")
        #expect((diff.json["appeared"] as? [Any])?.isEmpty == true)
        // The GitHub token is no longer in two repositories.
        let changed = try #require((diff.json["changed"] as? [[String: Any]])?.first, "\(diff.transcript)")
        #expect(changed["fingerprint"] as? String == fingerprints["github-pat-classic"])
        #expect((changed["before"] as? [String])?.contains("cross-repo") == true && (changed["after"] as? [String])?.contains("cross-repo") == false)
        // No plaintext in the store.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store))
        for secret in [kept, removed, alsoRemoved] { #expect(bytes.range(of: Data(secret.utf8)) == nil) }
        let text = SprawlProcess.run(["diff", "--store", store])
        #expect(text.stdout.contains("gone: 2") && text.stdout.contains("appeared: 0"), "\(text.transcript)")
    }

    @Test func sweepsOfAnotherKeyAreNotCompared() {
        var fakes = FakeCredentials()
        let sweep = TestDirectory()
        sweep.create("a/.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\n")
        let stores = TestDirectory()
        let store = stores.path + "/sprawl.db"
        _ = SprawlProcess.run(["sweep", sweep.path, "--store", store, "-o", "/dev/null"])
        _ = SprawlProcess.run(["sweep", sweep.path, "--store", store, "-o", "/dev/null"], environment: ["SPRAWL_FINGERPRINT_KEY": "other"])
        let diff = SprawlProcess.run(["diff", "--store", store])
        #expect(diff.status == 2 && diff.stderr.contains("different fingerprint keys"), "\(diff.transcript)")
    }
}
