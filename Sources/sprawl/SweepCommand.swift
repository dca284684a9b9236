import ArgumentParser
import Foundation
import SprawlCore

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Scan every repository below a directory and correlate credentials across them.",
        discussion: """
            Repositories are directories holding .git (working trees) or HEAD, objects/ and refs/ \
            (bare clones, whose HEAD tree is read from git). A top-level folder holding no \
            repository is scanned as one. Each is scanned in turn with every core; credentials \
            found in two or more repositories are flagged cross-repo. A progress line goes to \
            stderr when it is a terminal.
            """)

    @Argument(help: "The directory holding the repositories.")
    var directory: String

    @OptionGroup var scan: ScanOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Scan each repository's full history (bare clones and working trees), not its files.")
    var git = false

    func run() throws {
        let matcher = try scan.makeMatcher()
        let inventory = try scan.loadInventory()
        let targets: [Sweep.Target]
        do { targets = try Sweep.discover(directory) } catch { throw SprawlFailure(error) }
        let configuration = try scan.configuration(paths: [directory], showSecrets: output.showSecrets)
        let suppressor = try scan.makeSuppressor(for: targets.map(\.repository))
        let showsProgress = Output.isStderrTerminal
        var result: ScanResult
        let summaries: [Sweep.RepositorySummary]
        do {
            (result, summaries) = try Sweep.run(targets, configuration: configuration, matcher: matcher, history: git) { progress in
                guard showsProgress else { return }
                let megabytes = String(format: "%.1f", Double(progress.bytes) / 1_048_576)
                let line = "sweep: \(progress.done)/\(progress.total) repositories, \(megabytes) MiB, \(progress.findings) findings"
                    + (progress.current.isEmpty ? "" : "  \(progress.current)")
                Output.write("\r\u{1B}[K" + String(line.prefix(120)) + (progress.done == progress.total ? "\n" : ""), to: STDERR_FILENO)
            }
        } catch { throw SprawlFailure(error.description) }
        scan.applySuppressions(suppressor, to: &result)
        try ScanCommand.finish(result, inventory: inventory, summaries: summaries, output: output, signatures: matcher.signatures)
    }
}
