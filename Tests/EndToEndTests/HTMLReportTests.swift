import Foundation
import SprawlTestSupport
import Testing

/// The HTML report, opened in headless Chromium (Debian's `chromium`, installed by scripts/setup):
/// it renders with no console errors and no network request, shows the JSON report's credential
/// count, and a flag filter changes the rows shown.
@Suite struct HTMLReportTests {
    /// Loads `url` in headless Chromium with background networking off, so that every request in
    /// the network log is the page's own; returns the DOM after scripts ran and Chromium's log.
    static func open(_ url: String, netLog: String) -> (dom: String, log: String) {
        let output = SprawlProcess.command([
            "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--enable-logging=stderr", "--v=0", "--log-net-log=" + netLog, "--virtual-time-budget=2000", "--dump-dom", url,
        ])
        return (output.stdout, output.stderr)
    }

    /// The URLs the page asked the network stack for: Chromium's own background requests
    /// (update checks, account probes) carry no initiator ("not an origin"); anything the page
    /// loads carries its origin (`null` for a file: page).
    static func pageRequests(_ netLog: String) throws -> [String] {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: netLog))) as? [String: Any])
        let constants = try #require(log["constants"] as? [String: Any])
        let types = try #require(constants["logEventTypes"] as? [String: Int])
        let start = try #require(types["URL_REQUEST_START_JOB"])
        let events = try #require(log["events"] as? [[String: Any]])
        return events.compactMap { event in
            // The start of each job names its URL; its end only an error code.
            guard event["type"] as? Int == start, let params = event["params"] as? [String: Any],
                  let url = params["url"] as? String, params["initiator"] as? String != "not an origin" else { return nil }
            return url
        }
    }

    static func shownCount(_ dom: String) -> (Int, Int)? {
        guard let match = dom.firstMatch(of: /id="shown-count">(\d+) of (\d+) credentials shown/) else { return nil }
        return (Int(match.1)!, Int(match.2)!)
    }

    @Test func reportRendersOfflineWithTheJSONCountsAndFilters() throws {
        var fakes = FakeCredentials()
        let sweep = TestDirectory()
        let shared = fakes.githubToken(), slack = fakes.slackBotToken()
        sweep.create("payments/.env", contents: "GITHUB_TOKEN=\(shared)\nSLACK=\(slack)\n")
        sweep.create("payments/deploy/ci.yml", contents: "env:\n  SLACK_TOKEN: \(slack)\n")
        sweep.create("billing/config/app.env", contents: "GITHUB_TOKEN=\(shared)\n")
        sweep.create("billing/.env", contents: "STRIPE=\(fakes.stripeLiveKey())\n</script><script>alert(1)</script>\n")
        let reports = TestDirectory()
        let html = reports.path + "/report.html"
        let run = SprawlProcess.run(["sweep", sweep.path, "--format", "html", "-o", html])
        #expect(run.status == 1, "\(run.transcript)")
        let json = SprawlProcess.run(["sweep", sweep.path, "--format", "json"])
        let credentials = json.credentials.count
        #expect(credentials == 3, "\(json.transcript)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("Content-Security-Policy") && page.contains("default-src 'none'"))
        #expect(!page.contains(shared) && !page.contains(slack), "no plaintext secret without --show-secrets")
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http"), "nothing remote")

        let netLog = reports.path + "/net.json"
        let all = Self.open("file://" + html, netLog: netLog)
        #expect(Self.shownCount(all.dom).map { $0 == (credentials, credentials) } == true, "\(all.dom.prefix(2000))")
        #expect(!all.log.contains("CONSOLE") && !all.log.contains("Uncaught"), "console errors: \(all.log)")
        let requests = try Self.pageRequests(netLog)
        #expect(requests.isEmpty, "the page made network requests: \(requests)")
        // The injected closing tag stayed data: the page ran its own script only.
        #expect(!all.log.contains("alert"))

        let crossRepo = Self.open("file://" + html + "#flag=cross-repo", netLog: reports.path + "/net2.json")
        #expect(Self.shownCount(crossRepo.dom).map { $0 == (1, credentials) } == true, "\(crossRepo.dom.prefix(2000))")
        let duplicated = Self.open("file://" + html + "#flag=duplicated", netLog: reports.path + "/net3.json")
        #expect(Self.shownCount(duplicated.dom).map { $0 == (2, credentials) } == true)

        let shown = SprawlProcess.run(["sweep", sweep.path, "--format", "html", "--show-secrets"])
        #expect(shown.stdout.contains(shared), "--show-secrets puts plaintext in the page")
    }
}
