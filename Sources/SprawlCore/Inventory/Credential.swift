/// What the report says about a credential, each backed by evidence (contracts.md §2).
public enum CredentialFlag: String, Sendable, CaseIterable, Codable, Comparable {
    case unowned
    case ownerDeparted = "owner-departed"
    case rotationOverdue = "rotation-overdue"
    case duplicated
    case crossRepo = "cross-repo"
    /// First committed more than the maximum age ago and still in the code.
    case longLived = "long-lived"
    /// In history, absent from every current tree: deleted, not revoked.
    case historyOnly = "history-only"
    /// The inventory says it was rotated after the credential was first committed.
    case rotationContradicted = "rotation-contradicted"
    /// Found in two or more environments' files.
    case crossEnvironment = "cross-environment"
    /// Bound to a person and found in CI, IaC, container, Kubernetes or service configuration.
    case humanInAutomation = "human-in-automation"

    /// The OWASP Non-Human Identity Top 10 (2025) risk each flag evidences.
    public var owaspNHI: [String] {
        switch self {
        case .unowned, .ownerDeparted, .humanInAutomation: return ["NHI1:2025 Improper Offboarding"]
        case .rotationOverdue, .longLived, .rotationContradicted: return ["NHI7:2025 Long-Lived Secrets"]
        case .historyOnly: return ["NHI2:2025 Secret Leakage"]
        case .crossEnvironment: return ["NHI8:2025 Environment Isolation"]
        case .duplicated, .crossRepo: return ["NHI9:2025 NHI Reuse"]
        }
    }

    /// The flags read from the repositories themselves (history, paths, rule subjects) rather
    /// than from an inventory or from counting locations.
    public static let evidence: Set<CredentialFlag> = [.longLived, .historyOnly, .rotationContradicted, .crossEnvironment, .humanInAutomation]

    /// What to do about it, in one line.
    public var advice: String {
        switch self {
        case .unowned: return "record an owner for it in the inventory, or revoke it if nobody claims it"
        case .ownerDeparted: return "hand it to a current owner and rotate it: its owner has left"
        case .rotationOverdue: return "rotate it: it is past its rotation period"
        case .duplicated: return "keep one copy in a secret manager and reference it from the others"
        case .crossRepo: return "give each repository's workload its own credential, then rotate the shared one"
        case .longLived: return "rotate it: it has been in the code, unchanged, for longer than the maximum age"
        case .historyOnly: return "rotate it, then remove it from history: deleting it from the code did not revoke it"
        case .rotationContradicted: return "rotate it and correct the inventory: this value predates its recorded rotation"
        case .crossEnvironment: return "issue one credential per environment, then rotate the shared one"
        case .humanInAutomation: return "replace it with a workload identity (app, bot or service account, OIDC federation) and revoke the person's token"
        }
    }

    public static func < (lhs: CredentialFlag, rhs: CredentialFlag) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Findings grouped by fingerprint: one credential, every place it lives, and who owns it.
public struct Credential: Sendable {
    public struct Location: Sendable, Equatable {
        public let repository: String
        public let path: String
        public let line: Int
        public let commit: String?
        public var environment: Environment? = nil
    }

    public let fingerprint: Fingerprint
    public let rule: String
    public let kind: IdentityKind
    /// The highest confidence of its findings: one strong match vouches for the weaker ones.
    public let confidence: Confidence
    public let redacted: String
    public let identity: String?
    public let owner: String?
    /// Owners suggested by CODEOWNERS for an unowned credential: a hint, never an owner.
    public var suggestedOwners: [String]
    public let flags: [CredentialFlag]
    public let locations: [Location]
    public let repositories: [String]
    /// Whom its rule says it is bound to.
    public let subject: CredentialSubject
    /// The environments its locations are in, in canonical order.
    public let environments: [Environment]
    /// When history first and last shows it, and where it is still present (with `--git`).
    public let history: HistoryEvidence?
    /// Every credential found in a repository is a leaked secret (NHI2), whatever its flags.
    public var owaspNHI: [String] {
        Array(Set(["NHI2:2025 Secret Leakage"] + flags.flatMap(\.owaspNHI))).sorted()
    }
}

/// Groups findings into credentials and joins them with the owner inventory.
public enum Correlator {
    public static func credentials(from findings: [Finding], inventory: Inventory?,
                                   policy: EvidencePolicy = EvidencePolicy()) -> [Credential] {
        var groups = [Fingerprint: [Finding]]()
        for finding in findings { groups[finding.fingerprint, default: []].append(finding) }
        var result = [Credential]()
        for (fingerprint, group) in groups {
            let sorted = group.sorted(by: Finding.reportOrder)
            var locations = [Credential.Location]()
            for finding in sorted {
                let location = Credential.Location(repository: finding.repository, path: finding.path, line: finding.line,
                                                   commit: finding.commit, environment: finding.environment)
                if !locations.contains(location) { locations.append(location) }
            }
            let repositories = Array(Set(locations.map(\.repository))).sorted()
            // The rule most locations agree on names the credential (ties: the first in name order).
            let ruleCounts = Dictionary(sorted.map { ($0.rule, 1) }, uniquingKeysWith: +)
            let rule = ruleCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }[0].key
            let first = sorted.first { $0.rule == rule } ?? sorted[0]
            var flags = [CredentialFlag]()
            let identity = inventory?.identity(holding: fingerprint)
            if let identity, let inventory {
                if inventory.isOwnerDeparted(identity) { flags.append(.ownerDeparted) }
                if inventory.isRotationOverdue(identity) { flags.append(.rotationOverdue) }
            } else {
                flags.append(.unowned)
            }
            if Set(locations.map { "\($0.path)\u{0}\($0.line)" }).count > 1 { flags.append(.duplicated) }
            if repositories.count > 1 { flags.append(.crossRepo) }
            let history = HistoryEvidence(sorted)
            if let history, let present = history.presentIn {
                if present.isEmpty { flags.append(.historyOnly) }
                if !present.isEmpty && policy.asOf.days(since: history.firstDay) > policy.maximumAgeDays { flags.append(.longLived) }
                // Still in the code yet older than its recorded rotation: the rotation did not
                // replace this value (a value rotated away and left in history is no contradiction).
                if let rotated = identity?.lastRotated, !present.isEmpty, history.firstDay < rotated {
                    flags.append(.rotationContradicted)
                }
            }
            let environments = Array(Set(sorted.compactMap(\.environment))).sorted()
            if environments.count > 1 { flags.append(.crossEnvironment) }
            if first.subject == .human && sorted.contains(where: { $0.automation != nil }) { flags.append(.humanInAutomation) }
            result.append(Credential(
                fingerprint: fingerprint, rule: rule, kind: identity?.kind ?? first.kind,
                confidence: sorted.map(\.confidence).max() ?? first.confidence, redacted: first.redacted,
                identity: identity?.id, owner: identity?.owner, suggestedOwners: [], flags: flags.sorted(),
                locations: locations, repositories: repositories, subject: first.subject, environments: environments,
                history: history))
        }
        return result.sorted {
            $0.locations.count != $1.locations.count ? $0.locations.count > $1.locations.count : $0.fingerprint < $1.fingerprint
        }
    }
}

extension Correlator {
    /// Fills `suggestedOwners` of unowned credentials from the CODEOWNERS of the repositories
    /// their locations are in: a hint for whoever triages them, never an owner.
    public static func suggestOwners(for credentials: inout [Credential], findings: [Finding]) {
        var ownersAt = [String: [String]]()
        for finding in findings where !finding.codeOwners.isEmpty {
            ownersAt[finding.repository + "\u{0}" + finding.path] = finding.codeOwners
        }
        guard !ownersAt.isEmpty else { return }
        for index in credentials.indices where credentials[index].flags.contains(.unowned) {
            var owners = [String]()
            for location in credentials[index].locations {
                for owner in ownersAt[location.repository + "\u{0}" + location.path] ?? [] where !owners.contains(owner) {
                    owners.append(owner)
                }
            }
            credentials[index].suggestedOwners = owners
        }
    }

    /// Sets each finding's `codeOwners` from the CODEOWNERS of its repository (read once per
    /// repository). Done where the repositories are, before a report is written.
    public static func annotateCodeOwners(_ findings: inout [Finding], repositories: [String: Repository]) {
        var cache = [String: CodeOwners?]()
        for index in findings.indices {
            let name = findings[index].repository
            if cache[name] == nil { cache[name] = .some(repositories[name].flatMap { CodeOwners.load(repositoryDirectory: $0.directory) }) }
            guard let rules = cache[name] ?? nil, let repository = repositories[name] else { continue }
            findings[index].codeOwners = rules.owners(of: repository.pathInside(findings[index].path))
        }
    }
}
