import Foundation

/// The JSON report of contracts.md §3, version 1. Fields may be added, never renamed or removed.
public struct JSONReporter: Reporter {
    public init() {}

    struct Document: Encodable {
        let version = 1
        let findings: [FindingJSON]
        let credentials: [CredentialJSON]
        let repositories: [RepositoryJSON]?
        let summary: Summary
    }

    struct RepositoryJSON: Encodable {
        let name: String, kind: String, files: Int, bytes: Int, findings: Int
    }

    struct FindingJSON: Encodable {
        let rule: String, kind: String, confidence: String, path: String, repo: String, line: Int, column: Int
        let fingerprint: String, redacted: String, source: String
        let decoded: String?, secret: String?, commit: String?, author: String?, date: String?
    }

    struct LocationJSON: Encodable {
        let repo: String, path: String, line: Int, commit: String?
    }

    struct CredentialJSON: Encodable {
        let fingerprint: String, rule: String, kind: String, confidence: String, redacted: String
        let identity: String?, owner: String?
        let suggested_owners: [String]
        let flags: [String]
        let owasp_nhi: [String]
        let repositories: [String]
        let locations: [LocationJSON]

        enum CodingKeys: String, CodingKey {
            case fingerprint, rule, kind, confidence, redacted, identity, owner, suggested_owners, flags, owasp_nhi, repositories, locations
        }

        // identity and owner are always present (null when unknown), as the contract shows them.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fingerprint, forKey: .fingerprint)
            try container.encode(rule, forKey: .rule)
            try container.encode(kind, forKey: .kind)
            try container.encode(confidence, forKey: .confidence)
            try container.encode(redacted, forKey: .redacted)
            try container.encode(identity, forKey: .identity)
            try container.encode(owner, forKey: .owner)
            try container.encode(suggested_owners, forKey: .suggested_owners)
            try container.encode(flags, forKey: .flags)
            try container.encode(owasp_nhi, forKey: .owasp_nhi)
            try container.encode(repositories, forKey: .repositories)
            try container.encode(locations, forKey: .locations)
        }
    }

    struct Summary: Encodable {
        let files: Int, bytes: Int, findings: Int, credentials: Int
        let repositories: Int
        let skipped: [String: Int]
        let suppressed: [String: Int]
        let flags: [String: Int]
        let match_limit_errors: Int
    }

    public func render(_ report: ScanReport) -> String {
        let document = Document(
            findings: report.findings.map {
                FindingJSON(rule: $0.rule, kind: $0.kind.rawValue, confidence: $0.confidence.rawValue, path: $0.path, repo: $0.repository, line: $0.line,
                            column: $0.column, fingerprint: $0.fingerprint.description, redacted: $0.redacted,
                            source: $0.source, decoded: $0.decoded, secret: $0.secret, commit: $0.commit,
                            author: $0.author, date: $0.date)
            },
            credentials: report.credentials.map { credential in
                CredentialJSON(
                    fingerprint: credential.fingerprint.description, rule: credential.rule, kind: credential.kind.rawValue,
                    confidence: credential.confidence.rawValue, redacted: credential.redacted, identity: credential.identity, owner: credential.owner,
                    suggested_owners: credential.suggestedOwners, flags: credential.flags.map(\.rawValue),
                    owasp_nhi: credential.owaspNHI, repositories: credential.repositories,
                    locations: credential.locations.map { LocationJSON(repo: $0.repository, path: $0.path, line: $0.line, commit: $0.commit) })
            },
            repositories: report.sweptRepositories.isEmpty ? nil : report.sweptRepositories.map {
                RepositoryJSON(name: $0.name, kind: $0.kind.rawValue, files: $0.files, bytes: $0.bytes, findings: $0.findings)
            },
            summary: Summary(
                files: report.files, bytes: report.bytes, findings: report.findings.count,
                credentials: report.credentials.count, repositories: report.repositories.count,
                skipped: Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.key.rawValue, $0.value) }),
                suppressed: report.suppressed,
                flags: Dictionary(uniqueKeysWithValues: report.flagCounts.map { ($0.0.rawValue, $0.1) }),
                match_limit_errors: report.matchLimitErrors))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
