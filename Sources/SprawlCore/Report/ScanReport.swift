/// The one result model every reporter renders; reporters compute nothing of their own.
public struct ScanReport: Sendable {
    public var findings: [Finding]
    public var credentials: [Credential]
    public var files: Int
    public var bytes: Int
    public var skipped: [SkipReason: Int]
    public var skippedFiles: [SkippedFile]
    public var repositories: [String]
    public var matchLimitErrors: Int
    /// Findings not reported because a suppression or the baseline covered them, by mechanism.
    public var suppressed: [String: Int]
    public var inventoryUsed: Bool

    public init(result: ScanResult, inventory: Inventory?) {
        findings = result.findings
        credentials = Correlator.credentials(from: result.findings, inventory: inventory)
        files = result.files
        bytes = result.bytes
        skipped = result.skipped
        skippedFiles = result.skippedFiles
        repositories = result.repositories.sorted()
        matchLimitErrors = result.matchLimitErrors
        suppressed = [:]
        inventoryUsed = inventory != nil
    }

    /// Counts of credentials by flag, every flag present (zero when none).
    public var flagCounts: [(CredentialFlag, Int)] {
        CredentialFlag.allCases.map { flag in (flag, credentials.filter { $0.flags.contains(flag) }.count) }
    }
}

/// Renders a report to text, JSON or SARIF.
public protocol Reporter {
    func render(_ report: ScanReport) -> String
}
