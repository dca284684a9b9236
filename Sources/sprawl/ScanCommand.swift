import ArgumentParser
import SprawlCore

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan files and directories for secrets.",
        discussion: """
            Directories are walked in parallel; .git directories, binary files (a NUL byte in the \
            first 8 KiB) and files over --max-file-size are skipped and counted. Symbolic links are \
            not followed unless --follow. Files named on the command line are scanned even when \
            they look binary.
            """)

    @Argument(help: "Files or directories to scan (default: the current directory).")
    var paths: [String] = []

    @OptionGroup var scan: ScanOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let matcher = try scan.makeMatcher()
        let inventory = try scan.loadInventory()
        let configuration = try scan.configuration(paths: paths, showSecrets: output.showSecrets)
        let result: ScanResult
        do { result = try Scanner.run(configuration, matcher: matcher) } catch { throw SprawlFailure(error) }
        try Self.finish(result, inventory: inventory, output: output)
    }

    /// Renders the report, writes it, and turns "something reported" into exit code 1.
    static func finish(_ result: ScanResult, inventory: Inventory?, summaries: [Sweep.RepositorySummary] = [],
                       output: OutputOptions) throws {
        for problem in result.ruleErrors { Output.warning("rule skipped: \(problem)") }
        let report = ScanReport(result: result, inventory: inventory, sweptRepositories: summaries)
        try Output.emit(output.reporter().render(report), to: output.output)
        if !report.credentials.isEmpty { throw ExitCode(1) }
    }
}
