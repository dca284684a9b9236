import Foundation
import SprawlTestSupport
import Testing

/// The progress line: drawn on a terminal's standard error, absent from a pipe or a CI log.
@Suite struct ProgressTests {
    /// Runs sprawl under `script`, which gives it a pseudo-terminal for its standard streams.
    static func onTerminal(_ arguments: [String]) -> SprawlProcess.Output {
        let command = ([SprawlProcess.binary] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return SprawlProcess.command(["script", "-qec", command, "/dev/null"])
    }

    @Test func directoryScanShowsFilesBytesAndFindingsOnATerminal() {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        for index in 0..<20 { directory.create("f\(index).env", contents: "TOKEN_\(index)=\(fakes.githubToken())\n") }
        let output = Self.onTerminal(["scan", directory.path, "-o", directory.path + "/report.txt"])
        #expect(output.stdout.contains("scan: 20 files, 0.0 MiB, 20 findings"), "\(output.transcript)")
        let piped = SprawlProcess.run(["scan", directory.path, "-o", directory.path + "/report2.txt"])
        #expect(piped.stderr.isEmpty, "nothing on a standard error that is not a terminal: \(piped.transcript)")
    }

    @Test func historyScanCountsObjectsAgainstTheirTotal() {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        for index in 0..<5 {
            repository.write("f\(index).env", "TOKEN=\(fakes.githubToken())\n")
            repository.commit("c\(index)")
        }
        let reports = TestDirectory()
        let output = Self.onTerminal(["scan", "--git", repository.path, "-o", reports.path + "/report.txt"])
        #expect(output.stdout.contains("scan: 5/5 objects"), "\(output.transcript)")
    }
}
