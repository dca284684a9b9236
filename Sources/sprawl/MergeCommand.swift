import ArgumentParser
import Foundation
import SprawlCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge JSON reports (the shards of a sweep) into one correlated report.",
        discussion: """
            Credentials are grouped by fingerprint across the reports, duplicated and cross-repo are \
            recomputed over the union, and --inventory flags are applied: the shards of \
            `sweep --shard I/N` merge into the report one sweep of the whole tree gives. Reports \
            must share the contract version and the fingerprint key (SPRAWL_FINGERPRINT_KEY); one \
            that does not is refused. Reports are read one at a time, so memory follows the \
            findings, not the number of reports.
            """)

    @Argument(help: "JSON reports written by scan or sweep (--format json).")
    var reports: [String]

    @Option(help: ArgumentHelp("Owner inventory (YAML or JSON) to join credentials with.", valueName: "FILE"))
    var inventory: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        var loaded: Inventory?
        if let inventory {
            do { loaded = try InventoryLoader.load(path: inventory) } catch { throw SprawlFailure(error) }
        }
        var merger = ReportMerger()
        for path in reports {
            guard let data = FileManager.default.contents(atPath: path) else { throw SprawlFailure("\(path): cannot read file") }
            do { try merger.add(data, file: path) } catch { throw SprawlFailure(error.description) }
        }
        let (result, summaries) = merger.result()
        // The inventory's day when one is given, else the shards' (the latest of any), with the
        // maximum age they share.
        let policy = merger.policy.map { EvidencePolicy(inventory: loaded, otherwise: $0.asOf, maximumAgeDays: $0.maximumAgeDays) }
            ?? EvidencePolicy(inventory: loaded)
        try ScanCommand.finish(result, inventory: loaded, summaries: summaries, output: output,
                               signatures: try SignatureLoader.builtin(), annotatesOwners: false, keyID: merger.keyID, policy: policy,
                               root: "merge of " + reports.joined(separator: " "))
    }
}
