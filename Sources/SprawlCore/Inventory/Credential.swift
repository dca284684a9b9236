/// What the report says about a credential, each backed by evidence (contracts.md §2).
public enum CredentialFlag: String, Sendable, CaseIterable, Codable, Comparable {
    case unowned
    case ownerDeparted = "owner-departed"
    case rotationOverdue = "rotation-overdue"
    case duplicated
    case crossRepo = "cross-repo"

    /// The OWASP Non-Human Identity Top 10 (2025) risk each flag evidences.
    public var owaspNHI: [String] {
        switch self {
        case .unowned, .ownerDeparted: return ["NHI1:2025 Improper Offboarding"]
        case .rotationOverdue: return ["NHI7:2025 Long-Lived Secrets"]
        case .duplicated, .crossRepo: return ["NHI9:2025 NHI Reuse"]
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
    /// Every credential found in a repository is a leaked secret (NHI2), whatever its flags.
    public var owaspNHI: [String] {
        Array(Set(["NHI2:2025 Secret Leakage"] + flags.flatMap(\.owaspNHI))).sorted()
    }
}

/// Groups findings into credentials and joins them with the owner inventory.
public enum Correlator {
    public static func credentials(from findings: [Finding], inventory: Inventory?) -> [Credential] {
        var groups = [Fingerprint: [Finding]]()
        for finding in findings { groups[finding.fingerprint, default: []].append(finding) }
        var result = [Credential]()
        for (fingerprint, group) in groups {
            let sorted = group.sorted(by: Finding.reportOrder)
            var locations = [Credential.Location]()
            for finding in sorted {
                let location = Credential.Location(repository: finding.repository, path: finding.path, line: finding.line,
                                                   commit: finding.commit)
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
            result.append(Credential(
                fingerprint: fingerprint, rule: rule, kind: identity?.kind ?? first.kind,
                confidence: sorted.map(\.confidence).max() ?? first.confidence, redacted: first.redacted,
                identity: identity?.id, owner: identity?.owner, suggestedOwners: [], flags: flags.sorted(),
                locations: locations, repositories: repositories))
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
