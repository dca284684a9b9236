import ArgumentParser
import SprawlCore

/// How results are rendered.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, html
}

extension Confidence: ExpressibleByArgument {}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Options every scanning command shares: which rules, which files, how much to read.
struct ScanOptions: ParsableArguments {
    @Option(name: .customLong("signatures"), help: ArgumentHelp("Also load the rules in DIR: sprawl *.yml/*.yaml, gitleaks *.toml, Nosey Parker and Kingfisher *.yml (repeatable).", valueName: "DIR"))
    var signatureDirectories: [String] = []

    @Option(help: ArgumentHelp("Scan only files matching GLOB (repeatable).", valueName: "GLOB"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Skip files and directories matching GLOB (repeatable).", valueName: "GLOB"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("Skip files larger than SIZE (bytes, or with K, M, G).", valueName: "SIZE"))
    var maxFileSize: String = "10M"

    @Option(help: "Worker threads (default: one per core).")
    var threads: Int?

    @Flag(help: "Follow symbolic links (loops are detected and skipped).")
    var follow = false

    @Option(help: ArgumentHelp("Owner inventory (YAML or JSON) to join credentials with.", valueName: "FILE"))
    var inventory: String?

    @Option(help: ArgumentHelp("A previous JSON report: credentials in it are not reported again.", valueName: "REPORT"))
    var baseline: String?

    @Option(help: ArgumentHelp("With --git: a credential first committed more than DAYS ago and still in the code is long-lived.", valueName: "DAYS"))
    var maxAge: Int = EvidencePolicy.defaultMaximumAge

    @Option(help: ArgumentHelp("An ignore file to apply besides each repository's .sprawlignore.", valueName: "FILE"))
    var ignoreFile: String?

    @Option(help: ArgumentHelp("Report only findings of this confidence or higher: high (strong-prefix and validated formats), medium (a provider's format recognised by its context) or low (generic assignments of random-looking values).", valueName: "LEVEL"))
    var minConfidence: Confidence = ScanOptions.defaultMinConfidence

    /// The default confidence floor: the one that gave the best recall within a 3% false-positive
    /// rate on the labeled examples (see the README's detection table).
    static let defaultMinConfidence = Confidence.low

    func validate() throws {
        guard Self.parseSize(maxFileSize) != nil else {
            throw ValidationError("--max-file-size: expected a size such as 1048576, 512K, 10M or 1G, not '\(maxFileSize)'")
        }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads: expected 1 to 256") }
        if maxAge < 0 { throw ValidationError("--max-age: expected a number of days, 0 or more") }
    }

    static func parseSize(_ text: String) -> Int? {
        var digits = text.uppercased()
        var multiplier = 1
        for (suffix, factor) in [("KIB", 1024), ("MIB", 1 << 20), ("GIB", 1 << 30), ("K", 1024), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
            where digits.hasSuffix(suffix) {
            digits.removeLast(suffix.count)
            multiplier = factor
            break
        }
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }

    /// The signatures: built-in plus the user's, all ids unique; the user's compiled up front so a
    /// bad pattern fails before the scan starts.
    func makeMatcher() throws(SprawlFailure) -> SignatureMatcher {
        do {
            var signatures = try SignatureLoader.builtin()
            let builtinCount = signatures.count
            for directory in signatureDirectories { signatures += try SignatureLoader.rules(inDirectory: directory) }
            try SignatureLoader.checkUnique(signatures)
            let matcher = SignatureMatcher(signatures: signatures)
            try matcher.compile(builtinCount..<signatures.count)
            return matcher
        } catch { throw SprawlFailure(error) }
    }

    /// Ages measured on the inventory's `as_of` (today without one) against `--max-age`.
    func policy(_ inventory: Inventory?) -> EvidencePolicy {
        EvidencePolicy(inventory: inventory, maximumAgeDays: maxAge)
    }

    func loadInventory() throws(SprawlFailure) -> Inventory? {
        guard let inventory else { return nil }
        do { return try InventoryLoader.load(path: inventory) } catch { throw SprawlFailure(error) }
    }

    /// The validated configuration of a scan of `paths`.
    func configuration(paths: [String], showSecrets: Bool) throws(SprawlFailure) -> ScanConfiguration {
        ScanConfiguration(paths: paths, walk: walkOptions(),
                          maxFileSize: Self.parseSize(maxFileSize) ?? ScanConfiguration.defaultMaxFileSize,
                          showSecrets: showSecrets)
    }

    /// Loads what suppresses findings — the `.sprawlignore` of every repository about to be
    /// scanned, `--ignore-file` and `--baseline` — before the scan reads a file: a typo in one
    /// fails at once, not after a sweep of many gigabytes.
    func makeSuppressor(for repositories: [Repository]) throws(SprawlFailure) -> Suppressor {
        var suppressor = Suppressor()
        do {
            suppressor.ignoreFiles = try Suppressor.loadIgnoreFiles(for: repositories, extra: ignoreFile)
        } catch {
            throw SprawlFailure("\(error.file):\(error.line): field \(error.field): \(error.message)")
        }
        if let baseline {
            do { suppressor.baseline = try Baseline.load(baseline) } catch { throw SprawlFailure(error.description) }
        }
        return suppressor
    }

    /// Applies the suppressions and `--min-confidence` to `result`, counting what each removed.
    func applySuppressions(_ suppressor: Suppressor, to result: inout ScanResult) {
        suppressor.apply(to: &result)
        let before = result.findings.count
        result.findings.removeAll { $0.confidence < minConfidence }
        if result.findings.count < before { result.suppressed["confidence", default: 0] += before - result.findings.count }
    }

    func walkOptions() -> WalkOptions {
        var options = WalkOptions(threads: threads ?? WalkOptions.defaultThreads)
        options.followSymlinks = follow
        options.include = include.map { Glob($0) }
        options.exclude = exclude.map { Glob($0) }
        return options
    }
}

/// Options of the report: format, destination, verbosity.
struct OutputOptions: ParsableArguments {
    @Option(help: "Report format.")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(help: "Colour in the text report.")
    var color: ColorChoice = .auto

    @Flag(name: .shortAndLong, help: "List every skipped file with its reason.")
    var verbose = false

    @Flag(help: "Include the plaintext secrets in the report (never the default).")
    var showSecrets = false

    @Option(help: ArgumentHelp("Also append this scan's credentials (fingerprints, flags, owners, locations; never plaintext) to a SQLite store, for `sprawl diff`.", valueName: "PATH"))
    var store: String?

    func reporter(signatures: [Signature]) -> any Reporter {
        switch format {
        case .json: return JSONReporter()
        case .html: return HTMLReporter(showSecrets: showSecrets)
        case .sarif: return SARIFReporter(signatures: signatures, version: SprawlVersion.current)
        case .text:
            let colored = output == nil && (color == .always || (color == .auto && Output.isTerminal))
            return TextReporter(colored: colored, verbose: verbose)
        }
    }
}
