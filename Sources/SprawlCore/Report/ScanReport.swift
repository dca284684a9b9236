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
    /// Work cut short at a bound, by bound: never silent.
    public var limits: [WorkLimit: Int]
    /// Findings not reported because a suppression or the baseline covered them, by mechanism.
    public var suppressed: [String: Int]
    public var inventoryUsed: Bool
    /// One entry per repository of a sweep (empty for a scan).
    public var sweptRepositories: [Sweep.RepositorySummary]
    /// The inventory's owners, for the departed-owner section.
    public var departedOwners: Set<String>
    /// Identifies the fingerprint key without revealing it (`Fingerprinter.Key.identifier`):
    /// reports made with different keys cannot be merged.
    public var keyID: String
    /// The day credential ages were measured on and the maximum age, for `long-lived`.
    public var policy: EvidencePolicy

    /// - Parameter policy: when not given, ages are measured on the inventory's `as_of` (today
    ///   without one) against the default maximum age.
    public init(result: ScanResult, inventory: Inventory?, sweptRepositories: [Sweep.RepositorySummary] = [],
                keyID: String = Fingerprinter.Key.fromEnvironment().identifier, policy: EvidencePolicy? = nil) {
        self.keyID = keyID
        self.policy = policy ?? EvidencePolicy(inventory: inventory)
        findings = result.findings
        credentials = Correlator.credentials(from: result.findings, inventory: inventory, policy: self.policy)
        Correlator.suggestOwners(for: &credentials, findings: result.findings)
        self.sweptRepositories = sweptRepositories
        departedOwners = Set(inventory?.owners.values.filter { $0.status == .departed }.map(\.id) ?? [])
        files = result.files
        bytes = result.bytes
        skipped = result.skipped
        skippedFiles = result.skippedFiles
        repositories = result.repositories.keys.sorted()
        matchLimitErrors = result.matchLimitErrors
        limits = result.limits
        suppressed = result.suppressed
        inventoryUsed = inventory != nil
    }

    /// Whether any credential carries history evidence (a `--git` scan): then the report says
    /// which day and maximum age its `long-lived` flags were decided on.
    public var hasHistory: Bool { credentials.contains { $0.history != nil } }

    /// Counts of credentials by flag, every flag present (zero when none).
    public var flagCounts: [(CredentialFlag, Int)] {
        var counts = [CredentialFlag: Int]()
        for credential in credentials { for flag in credential.flags { counts[flag, default: 0] += 1 } }
        return CredentialFlag.allCases.map { ($0, counts[$0] ?? 0) }
    }
}

/// Renders a report to text, JSON or SARIF.
public protocol Reporter {
    func render(_ report: ScanReport) -> String
}
