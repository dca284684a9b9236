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

    @Option(help: ArgumentHelp("Scan only shard I (0-based) of N: a partition of the repositories by a hash of their names, the same on every machine. auto/N takes I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). Merge the shards' JSON reports with `sprawl merge`.", valueName: "I/N"))
    var shard: String?

    /// The shard asked for, as (index, count).
    func shardSelection() throws -> (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let count = Int(parts[1]), count >= 1 else {
            throw ValidationError("--shard: expected I/N or auto/N, not '\(shard)'")
        }
        var index: Int
        if parts[0] == "auto" {
            guard let text = ProcessInfo.processInfo.environment["JOB_COMPLETION_INDEX"], let value = Int(text) else {
                throw ValidationError("--shard auto/\(count): JOB_COMPLETION_INDEX is not set to a number (it is set in Kubernetes Indexed Jobs)")
            }
            index = value
        } else {
            guard let value = Int(parts[0]) else { throw ValidationError("--shard: expected I/N or auto/N, not '\(shard)'") }
            index = value
        }
        guard (0..<count).contains(index) else { throw ValidationError("--shard: shard \(index) is not one of 0..<\(count)") }
        return (index, count)
    }

    func validate() throws { _ = try shardSelection() }

    func run() throws {
        let matcher = try scan.makeMatcher()
        let inventory = try scan.loadInventory()
        var targets: [Sweep.Target]
        do { targets = try Sweep.discover(directory) } catch { throw SprawlFailure(error) }
        if let (index, count) = try shardSelection() { targets = Sweep.shard(targets, index: index, of: count) }
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
        try ScanCommand.finish(result, inventory: inventory, summaries: summaries, output: output, signatures: matcher.signatures,
                               policy: scan.policy(inventory), root: directory + (shard.map { " (shard \($0))" } ?? ""))
    }
}
