import ArgumentParser
import SprawlCore

struct SprawlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sprawl",
        abstract: "Find secrets, fingerprint them, and tell whose they are and where else they live.",
        discussion: """
            Exit codes: 0 nothing reported, 1 at least one credential reported, 2 usage, \
            configuration or input error.
            """,
        version: SprawlVersion.current,
        subcommands: [ScanCommand.self, SweepCommand.self, MergeCommand.self, DiffCommand.self, FingerprintCommand.self, InventoryCommand.self, HookCommand.self, SignaturesCommand.self],
        defaultSubcommand: ScanCommand.self)
}

enum SprawlVersion {
    static let current = "0.1.0"
}
