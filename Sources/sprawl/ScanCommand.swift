import ArgumentParser
import Foundation
import SprawlCore
import SprawlStore

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

    @Argument(help: "Files or directories to scan (default: the current directory); with --git, repositories.")
    var paths: [String] = []

    @Flag(help: "Scan what is staged for the next commit (the index), reporting only lines it adds.")
    var staged = false

    @Flag(help: "Scan git history: every blob reachable from any ref, once, attributed to the commit that introduced it.")
    var git = false

    @Option(help: ArgumentHelp("With --git: only the commits of a range, reporting what they introduced.", valueName: "BASE..HEAD"))
    var range: String?

    @Option(help: ArgumentHelp("With --git: only the commits since REF (REF..HEAD).", valueName: "REF"))
    var since: String?

    func validate() throws {
        if staged && (git || range != nil || since != nil) { throw ValidationError("--staged scans the index; it does not combine with --git, --range or --since") }
        if (range != nil || since != nil) && !git { throw ValidationError("--range and --since need --git") }
        if range != nil && since != nil { throw ValidationError("give --range or --since, not both") }
        if let range, !range.contains("..") { throw ValidationError("--range: expected BASE..HEAD, not '\(range)'") }
        if staged && paths.count > 1 { throw ValidationError("--staged takes at most one repository path") }
    }

    @OptionGroup var scan: ScanOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let matcher = try scan.makeMatcher()
        let inventory = try scan.loadInventory()
        var configuration = try scan.configuration(paths: paths, showSecrets: output.showSecrets)
        // A pre-commit scan is over before a line would be drawn.
        let progressLine = staged ? nil : ProgressLine.start(noun: git ? "objects" : "files")
        configuration.progress = progressLine?.progress
        defer { progressLine?.stop() }
        var result = ScanResult()
        do {
            if staged {
                let repository = try GitScan.stagedRepository(paths.first ?? ".")
                let suppressor = try scan.makeSuppressor(for: [repository])
                result = try GitScan.staged(in: repository, configuration: configuration, matcher: matcher)
                scan.applySuppressions(suppressor, to: &result)
            } else if git {
                let selection: GitHistorySource.Selection = range.map { .range($0) } ?? since.map { .since($0) } ?? .all
                let repositories = paths.isEmpty ? ["."] : paths
                for path in repositories {
                    guard (try? GitCommand(repository: path).output(["rev-parse", "--git-dir"])) != nil else {
                        throw SprawlFailure("\(path): not a git repository")
                    }
                }
                let targets = repositories.map(GitScan.repository(at:))
                let suppressor = try scan.makeSuppressor(for: targets)
                for target in targets {
                    result.merge(try GitScan.history(of: target, selection: selection, configuration: configuration, matcher: matcher))
                }
                result.normalize()
                scan.applySuppressions(suppressor, to: &result)
            } else {
                let suppressor: Suppressor
                do {
                    suppressor = try scan.makeSuppressor(for: Scanner.repositories(for: configuration))
                    result = try Scanner.run(configuration, matcher: matcher)
                } catch let error as ScanError { throw SprawlFailure(error) }
                scan.applySuppressions(suppressor, to: &result)
            }
        } catch let error as GitError {
            throw SprawlFailure(error.description)
        }
        progressLine?.stop()
        try Self.finish(result, inventory: inventory, output: output, signatures: matcher.signatures, blocksCommit: staged,
                        policy: scan.policy(inventory), root: (paths.isEmpty ? ["."] : paths).joined(separator: " "))
    }

    /// Renders the report, writes it, and turns "something reported" into exit code 1.
    ///
    /// - Parameter annotatesOwners: read each repository's CODEOWNERS for the findings (false
    ///   for merged reports, whose findings carry them and whose repositories are elsewhere).
    static func finish(_ result: ScanResult, inventory: Inventory?, summaries: [Sweep.RepositorySummary] = [],
                       output: OutputOptions, signatures: [Signature], blocksCommit: Bool = false,
                       annotatesOwners: Bool = true, keyID: String? = nil, policy: EvidencePolicy, root: String = "") throws {
        for problem in result.ruleErrors { Output.warning("rule skipped: \(problem)") }
        var result = result
        if annotatesOwners { Correlator.annotateCodeOwners(&result.findings, repositories: result.repositories) }
        let report = keyID.map { ScanReport(result: result, inventory: inventory, sweptRepositories: summaries, keyID: $0, policy: policy) }
            ?? ScanReport(result: result, inventory: inventory, sweptRepositories: summaries, policy: policy)
        if let store = output.store {
            do { try SweepStore(path: store).append(report, root: root) } catch { throw SprawlFailure(error.description) }
        }
        try Output.emit(output.reporter(signatures: signatures).render(report), to: output.output)
        guard !report.credentials.isEmpty else { return }
        if blocksCommit { Output.write(commitBlockedMessage(report), to: STDERR_FILENO) }
        throw ExitCode(1)
    }

    /// What a pre-commit hook says when it blocks: where, which rule, and the ways out.
    static func commitBlockedMessage(_ report: ScanReport) -> String {
        let count = report.findings.count
        var message = "\nsprawl: commit blocked: it adds " + (count == 1 ? "a secret" : "\(count) secrets") + "\n"
        for finding in report.findings {
            message += "  \(finding.path):\(finding.line): \(finding.rule) \(finding.redacted) (\(finding.fingerprint))\n"
        }
        message += "Remove the secret and load it from a secret manager or the environment instead.\n"
        message += "If it is not a secret (a test value): add a `sprawl:allow` comment on its line, or add its\n"
        message += "fingerprint (the fp1: value above) to .sprawlignore. To commit anyway: git commit --no-verify.\n\n"
        return message
    }
}
