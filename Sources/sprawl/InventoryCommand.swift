import ArgumentParser
import SprawlCore

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Work with owner inventories.",
        subcommands: [Initialize.self, Check.self])

    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write an inventory skeleton listing every credential of a JSON report.")

        @Option(help: ArgumentHelp("A report of `sprawl scan|sweep --format json`.", valueName: "REPORT"))
        var from: String

        @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
        var output: String?

        func run() throws {
            let text: String
            do { text = try InventorySkeleton.make(fromReport: from) } catch { throw SprawlFailure(error.description) }
            try Output.emit(text, to: output)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate an inventory file (exit 2 on the first problem).")

        @Argument(help: "The inventory (YAML or JSON).")
        var file: String

        func run() throws {
            do {
                let inventory = try InventoryLoader.load(path: file)
                Output.write("\(file): \(inventory.owners.count) owners, \(inventory.identities.count) identities, "
                             + "\(inventory.identities.reduce(0) { $0 + $1.fingerprints.count }) fingerprints\n")
            } catch { throw SprawlFailure(error) }
        }
    }
}
