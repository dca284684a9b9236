import Foundation
import SprawlTestSupport
import Testing
import Yams

/// The GitHub Action (action.yml): its definition is well formed and documented, and its shell
/// steps, run here as a runner would run them, scan the commits of a pull request.
@Suite struct ActionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func action() throws -> [String: Any] {
        let text = try String(contentsOfFile: root + "/action.yml", encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func steps() throws -> [[String: Any]] {
        let runs = try #require(try action()["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        return try #require(runs["steps"] as? [[String: Any]])
    }

    @Test func definitionParsesAndEveryInputIsDocumented() throws {
        let action = try Self.action()
        let inputs = try #require(action["inputs"] as? [String: [String: Any]])
        #expect(Set(inputs.keys).isSuperset(of: ["mode", "range", "format", "inventory", "fail-on-findings", "upload-sarif"]))
        for (name, input) in inputs {
            #expect(((input["description"] as? String) ?? "").count > 20, "input \(name) needs a description")
            #expect(input["default"] != nil, "input \(name) needs a default")
        }
        let steps = try Self.steps()
        for step in steps {
            if let run = step["run"] as? String {
                #expect(step["shell"] as? String == "bash", "composite run steps name their shell")
                // Every script a step calls exists and is executable.
                for match in run.matches(of: /\$GITHUB_ACTION_PATH\/(scripts\/[a-z-]+)/) {
                    #expect(FileManager.default.isExecutableFile(atPath: Self.root + "/" + match.1), "\(match.1)")
                }
            }
        }
        // Every ${{ inputs.X }} a step uses is declared.
        let text = try String(contentsOfFile: Self.root + "/action.yml", encoding: .utf8)
        for match in text.matches(of: /inputs\.([a-z-]+)/) { #expect(inputs[String(match.1)] != nil, "\(match.1)") }
        // The README documents every input.
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        for name in inputs.keys { #expect(readme.contains("`\(name)`"), "README documents input \(name)") }
    }

    /// Runs the `run:` script of the step with `id`, with `environment` as the runner would set it.
    static func runStep(_ id: String, environment: [String: String]) throws -> SprawlProcess.Output {
        let step = try #require(try steps().first { $0["id"] as? String == id })
        let script = try #require(step["run"] as? String)
        let exports = environment.map { "export \($0.key)='\($0.value)'" }.joined(separator: "\n")
        return SprawlProcess.command(["bash", "-c", exports + "\n" + script])
    }

    @Test func scanStepReportsOnlyWhatThePullRequestAdds() throws {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        let old = fakes.stripeLiveKey(), new = fakes.githubToken()
        repository.write("config/app.env", "STRIPE_KEY=\(old)\n")
        let base = repository.commit("main: an old key")
        repository.git("checkout", "-q", "-b", "feature")
        repository.write("deploy/ci.env", "GITHUB_TOKEN=\(new)\n")
        let head = repository.commit("feature: adds a token")
        let runner = TestDirectory()
        let outputs = runner.path + "/github_output"
        FileManager.default.createFile(atPath: outputs, contents: nil)
        let common = ["GITHUB_ACTION_PATH": Self.root, "GITHUB_WORKSPACE": repository.path, "GITHUB_OUTPUT": outputs,
                      "RUNNER_TEMP": runner.path, "SPRAWL_BIN": SprawlProcess.binary, "SPRAWL_MODE": "diff", "SPRAWL_RANGE": "",
                      "SPRAWL_FORMAT": "sarif", "SPRAWL_INVENTORY": "", "SPRAWL_PATH": ".", "SPRAWL_FAIL": "true"]

        // The key step: a cache key from sprawl's sources.
        let key = try Self.runStep("key", environment: common)
        #expect(key.status == 0, "\(key.transcript)")
        #expect(try String(contentsOfFile: outputs, encoding: .utf8).contains("key=sprawl-Linux-"))

        // A pull request: base..head holds the new token only.
        var pull = common
        pull["SPRAWL_BASE"] = base
        pull["SPRAWL_HEAD"] = head
        let scan = try Self.runStep("scan", environment: pull)
        #expect(scan.status == 1, "credentials found fail the step: \(scan.transcript)")
        let written = try String(contentsOfFile: outputs, encoding: .utf8)
        #expect(written.contains("report=\(runner.path)/sprawl.sarif") && written.contains("exit-code=1"), "\(written)")
        let sarif = try String(contentsOfFile: runner.path + "/sprawl.sarif", encoding: .utf8)
        #expect(sarif.contains("github-pat-classic") && sarif.contains("deploy/ci.env"))
        #expect(!sarif.contains("stripe-live-secret"), "the base branch's key is not the pull request's")
        #expect(!sarif.contains(new) && !sarif.contains(old), "no plaintext in the report")

        // The first push of a branch (before = all zeros): its whole history.
        var push = common
        push["SPRAWL_BASE"] = String(repeating: "0", count: 40)
        push["SPRAWL_HEAD"] = head
        push["SPRAWL_FAIL"] = "false"
        let first = try Self.runStep("scan", environment: push)
        #expect(first.status == 0, "fail-on-findings false: \(first.transcript)")
        let all = try String(contentsOfFile: runner.path + "/sprawl.sarif", encoding: .utf8)
        #expect(all.contains("stripe-live-secret") && all.contains("github-pat-classic"))

        // A base the clone does not have (a shallow checkout) is a clear error.
        var shallow = common
        shallow["SPRAWL_BASE"] = String(repeating: "1", count: 40)
        let missing = try Self.runStep("scan", environment: shallow)
        #expect(missing.status == 2 && missing.stderr.contains("fetch-depth: 0"), "\(missing.transcript)")
    }
}
