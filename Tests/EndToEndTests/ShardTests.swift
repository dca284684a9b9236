import Foundation
import SprawlTestSupport
import Testing

/// Sweeps split into shards and merged back: the merged report is the one sweep's, byte for byte.
@Suite struct ShardTests {
    /// Seven repositories (working trees, a bare clone, a plain folder) sharing credentials.
    static func organisation() -> TestDirectory {
        var fakes = FakeCredentials()
        let sweep = TestDirectory()
        let shared = fakes.githubToken(), slack = fakes.slackBotToken()
        for index in 0..<6 {
            let repository = TestRepository(in: sweep, subdirectory: "repo\(index)")
            repository.write(".env", "GITHUB_TOKEN=\(index % 2 == 0 ? shared : fakes.githubToken())\n")
            repository.write("deploy/values.yaml", "slack: \(index < 3 ? slack : fakes.slackBotToken())\nstripe: \(fakes.stripeLiveKey())\n")
            if index == 1 { repository.write(".github/CODEOWNERS", "* @team-\(index)\n") }
            repository.commit("init")
            if index == 5 { repository.cloneBare(to: sweep.path + "/mirror.git") }
        }
        sweep.create("loose-folder/config.env", contents: "GITHUB_TOKEN=\(shared)\n")
        return sweep
    }

    @Test func threeShardsMergeIntoTheSweepOfEverything() throws {
        let sweep = Self.organisation()
        let reports = TestDirectory()
        for history in [false, true] {
            let mode = history ? ["--git"] : []
            let whole = SprawlProcess.run(["sweep", sweep.path, "--format", "json"] + mode)
            #expect(whole.status == 1, "\(whole.transcript)")
            var shardFiles = [String]()
            var repositories = 0
            for index in 0..<3 {
                let file = reports.path + "/shard\(index)\(history ? "-git" : "").json"
                let shard = SprawlProcess.run(["sweep", sweep.path, "--shard", "\(index)/3", "--format", "json", "-o", file] + mode)
                #expect(shard.status <= 1, "\(shard.transcript)")
                let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
                repositories += (json?["repositories"] as? [Any])?.count ?? 0
                shardFiles.append(file)
            }
            #expect(repositories == (whole.json["repositories"] as? [Any])?.count, "every repository in exactly one shard")
            let merged = SprawlProcess.run(["merge"] + shardFiles + ["--format", "json"])
            #expect(merged.status == 1, "\(merged.transcript)")
            #expect(merged.stdout == whole.stdout, "merge of shards differs from one sweep (history: \(history))")
            let crossRepo = merged.credentials.filter { ($0["flags"] as? [String])?.contains("cross-repo") == true }
            #expect(crossRepo.count >= 2)
        }
    }

    @Test func shardAutoReadsTheIndexedJobIndex() {
        let sweep = Self.organisation()
        let explicit = SprawlProcess.run(["sweep", sweep.path, "--shard", "2/3", "--format", "json"])
        let auto = SprawlProcess.run(["sweep", sweep.path, "--shard", "auto/3", "--format", "json"], environment: ["JOB_COMPLETION_INDEX": "2"])
        #expect(auto.stdout == explicit.stdout && !auto.stdout.isEmpty, "\(auto.transcript)")
        let missing = SprawlProcess.run(["sweep", sweep.path, "--shard", "auto/3"])
        #expect(missing.status == 2 && missing.stderr.contains("JOB_COMPLETION_INDEX"), "\(missing.transcript)")
        let outOfRange = SprawlProcess.run(["sweep", sweep.path, "--shard", "3/3"])
        #expect(outOfRange.status == 2, "\(outOfRange.transcript)")
    }

    @Test func reportsOfAnotherKeyOrVersionAreRefused() throws {
        let sweep = Self.organisation()
        let reports = TestDirectory()
        let first = reports.path + "/a.json", second = reports.path + "/b.json"
        _ = SprawlProcess.run(["sweep", sweep.path, "--shard", "0/2", "--format", "json", "-o", first])
        _ = SprawlProcess.run(["sweep", sweep.path, "--shard", "1/2", "--format", "json", "-o", second],
                              environment: ["SPRAWL_FINGERPRINT_KEY": "another-organisation-key"])
        let mixed = SprawlProcess.run(["merge", first, second])
        #expect(mixed.status == 2 && mixed.stderr.contains("key_id"), "\(mixed.transcript)")
        var text = try String(contentsOfFile: first, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2")
        try text.write(toFile: second, atomically: true, encoding: .utf8)
        let versions = SprawlProcess.run(["merge", first, second])
        #expect(versions.status == 2 && versions.stderr.contains("field version"), "\(versions.transcript)")
    }
}
