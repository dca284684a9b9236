import ArgumentParser
import Foundation
import SprawlCore
import SprawlStore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List the credentials that appeared, disappeared or changed flags between two stored sweeps.",
        discussion: """
            Sweeps are stored with --store PATH (scan, sweep, merge). Without --from and --to, the \
            last sweep is compared with the one before it; --list shows the stored sweeps.
            """)

    @Option(help: ArgumentHelp("The store written by --store.", valueName: "PATH"))
    var store: String

    @Option(help: ArgumentHelp("The earlier sweep's id (default: the one before --to).", valueName: "ID"))
    var from: Int64?

    @Option(help: ArgumentHelp("The later sweep's id (default: the last).", valueName: "ID"))
    var to: Int64?

    @Flag(help: "List the stored sweeps instead.")
    var list = false

    @Option(help: "Output format (text or json).")
    var format: DiffFormat = .text

    enum DiffFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else { throw SprawlFailure("\(store): no such store") }
        do throws(SweepStore.StoreError) {
            let database = try SweepStore(path: store)
            if list {
                var out = ""
                for sweep in try database.sweeps() {
                    out += "\(sweep.id)  \(sweep.createdAt)  \(sweep.credentials) credentials, \(sweep.findings) locations  \(sweep.root)\n"
                }
                Output.write(out)
                return
            }
            let difference = try database.difference(from: from, to: to)
            Output.write(format == .json ? Self.json(difference) : Self.text(difference))
        } catch {
            throw SprawlFailure(error.description)
        }
    }

    static func line(_ credential: SweepStore.StoredCredential) -> String {
        "  \(credential.rule)  \(credential.redacted)  \(credential.fingerprint)  \(credential.locations) location"
            + (credential.locations == 1 ? "" : "s") + (credential.flags.isEmpty ? "" : "  [\(credential.flags.joined(separator: ", "))]")
            + (credential.owner.map { "  owner \($0)" } ?? "") + "\n"
    }

    static func text(_ difference: SweepStore.Difference) -> String {
        var out = "sweep \(difference.from.id) (\(difference.from.createdAt), \(difference.from.credentials) credentials) → "
            + "sweep \(difference.to.id) (\(difference.to.createdAt), \(difference.to.credentials) credentials)\n"
        out += "\ngone: \(difference.disappeared.count)\n" + difference.disappeared.map(line).joined()
        out += "\nappeared: \(difference.appeared.count)\n" + difference.appeared.map(line).joined()
        out += "\nflags changed: \(difference.changed.count)\n"
        for (before, after) in difference.changed {
            out += "  \(after.rule)  \(after.redacted)  \(after.fingerprint)  [\(before.flags.joined(separator: ", "))] → [\(after.flags.joined(separator: ", "))]\n"
        }
        return out
    }

    static func json(_ difference: SweepStore.Difference) -> String {
        func credential(_ item: SweepStore.StoredCredential) -> JSONText {
            .object([("fingerprint", .string(item.fingerprint)), ("rule", .string(item.rule)), ("kind", .string(item.kind)),
                     ("redacted", .string(item.redacted)), ("owner", item.owner.map(JSONText.string) ?? .null),
                     ("flags", .array(item.flags.map(JSONText.string))), ("locations", .int(item.locations)),
                     ("repositories", .array(item.repositories.map(JSONText.string)))])
        }
        return JSONText.object([
            ("from", .int(Int(difference.from.id))), ("to", .int(Int(difference.to.id))),
            ("disappeared", .array(difference.disappeared.map(credential))),
            ("appeared", .array(difference.appeared.map(credential))),
            ("changed", .array(difference.changed.map { before, after in
                .object([("fingerprint", .string(after.fingerprint)), ("before", .array(before.flags.map(JSONText.string))),
                         ("after", .array(after.flags.map(JSONText.string)))])
            })),
        ]).rendered()
    }
}
