import ArgumentParser
import Foundation
import SprawlCore

struct FingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the fingerprint of a secret read from standard input.",
        discussion: """
            The secret is read from standard input, never from an argument (arguments end up in \
            shell history and process lists). One trailing newline is removed. The key is \
            SPRAWL_FINGERPRINT_KEY when set. Use --canonicalize for a PEM key or a JSON-escaped value.
            """)

    @Flag(help: "Canonicalize first: a PEM block becomes its base64 body; JSON escapes are undone.")
    var canonicalize = false

    func run() throws {
        var secret = Array(FileHandle.standardInput.readDataToEndOfFile())
        if secret.last == 0x0A { secret.removeLast() }
        if secret.last == 0x0D { secret.removeLast() }
        guard !secret.isEmpty else { throw SprawlFailure("standard input: no secret given") }
        if canonicalize { secret = Canonicalizer.canonicalize(standalone: secret) }
        Output.write(Fingerprinter().fingerprint(of: secret).description + "\n")
    }
}
