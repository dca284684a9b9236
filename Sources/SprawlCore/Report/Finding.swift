/// One reported location of a secret (contracts.md §3 `findings[]`).
public struct Finding: Sendable, Equatable {
    public var rule: String
    public var kind: IdentityKind
    /// How sure the rule that made it is (generic assignments `low`, validated formats `high`).
    public var confidence: Confidence = .medium
    /// Relative to the scanned root, `/` separators.
    public var path: String
    /// The repository the location belongs to, relative to the scanned root.
    public var repository: String
    /// 1-based line of the secret's first character.
    public var line: Int
    /// 1-based column of the secret's first character, counted in Unicode scalars.
    public var column: Int
    public var fingerprint: Fingerprint
    public var redacted: String
    /// `file` for a working-tree file, `git` for a blob from history, `stdin`, `index`.
    public var source: String
    /// How the stored value was encoded when sprawl had to decode it to find the secret (`base64`).
    public var decoded: String?
    /// The canonical secret, kept only when the user asked for `--show-secrets`.
    public var secret: String?
    /// The owners the repository's CODEOWNERS gives this path (empty without one): read where
    /// the repository is, so that reports merged elsewhere suggest the same owners.
    public var codeOwners: [String] = []
    /// Git provenance, for findings from history.
    public var commit: String?
    public var author: String?
    public var date: String?
    /// For a range scan: the blob this one replaced at the same path, whose secrets are not new.
    var replacedBlob: String?
    /// For a finding from history: the blob it was found in.
    var blob: String?
    /// Whom the rule says the credential is bound to: a person, a workload, or it cannot tell.
    public var subject: CredentialSubject = .unknown
    /// The environment the location's path or content names (production, staging, ...).
    public var environment: Environment?
    /// The kind of automation the location's file drives (CI, IaC, container, Kubernetes, service
    /// configuration), if any.
    public var automation: Automation?
    /// For a finding from full history: whether its blob is in the repository's current tree
    /// (HEAD). Nil where that was not asked (a range scan) or cannot apply (a working-tree file
    /// or the index, which are current by definition).
    public var inCurrentTree: Bool?

    public init(rule: String, kind: IdentityKind, path: String, repository: String, line: Int, column: Int,
                fingerprint: Fingerprint, redacted: String, source: String, decoded: String? = nil,
                secret: String? = nil, confidence: Confidence = .medium) {
        self.confidence = confidence
        self.rule = rule
        self.kind = kind
        self.path = path
        self.repository = repository
        self.line = line
        self.column = column
        self.fingerprint = fingerprint
        self.redacted = redacted
        self.source = source
        self.decoded = decoded
        self.secret = secret
    }

    /// The order every report uses: by path, then position, then rule. Output never varies.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        if lhs.path != rhs.path { return lhs.path < rhs.path }
        if lhs.line != rhs.line { return lhs.line < rhs.line }
        if lhs.column != rhs.column { return lhs.column < rhs.column }
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        return (lhs.commit ?? "") < (rhs.commit ?? "")
    }
}
