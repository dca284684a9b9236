/// The JSON report of contracts.md §3, version 1. Fields may be added, never renamed or removed.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: ScanReport) -> String {
        var document: [(String, JSONText?)] = [
            ("version", .int(1)),
            ("key_id", .string(report.keyID)),
            ("findings", .generated(count: report.findings.count) { Self.finding(report.findings[$0]) }),
            ("credentials", .generated(count: report.credentials.count) { Self.credential(report.credentials[$0]) }),
            ("summary", Self.summary(report)),
        ]
        if !report.sweptRepositories.isEmpty {
            document.append(("repositories", .array(report.sweptRepositories.map {
                .object([("name", .string($0.name)), ("kind", .string($0.kind.rawValue)), ("files", .int($0.files)),
                         ("bytes", .int($0.bytes)), ("findings", .int($0.findings))])
            })))
        }
        return JSONText.object(document).rendered()
    }

    static func finding(_ finding: Finding) -> JSONText {
        .object([
            ("rule", .string(finding.rule)), ("kind", .string(finding.kind.rawValue)),
            ("confidence", .string(finding.confidence.rawValue)), ("path", .string(finding.path)),
            ("repo", .string(finding.repository)), ("line", .int(finding.line)), ("column", .int(finding.column)),
            ("fingerprint", .string(finding.fingerprint.description)), ("redacted", .string(finding.redacted)),
            ("source", .string(finding.source)), ("decoded", finding.decoded.json), ("secret", finding.secret.json),
            ("commit", finding.commit.json), ("author", finding.author.json), ("date", finding.date.json),
            ("code_owners", finding.codeOwners.isEmpty ? nil : .array(finding.codeOwners.map(JSONText.string))),
            ("subject", .string(finding.subject.rawValue)), ("environment", finding.environment.map { .string($0.rawValue) }),
            ("automation", finding.automation.map { .string($0.rawValue) }), ("in_current_tree", finding.inCurrentTree.map(JSONText.bool)),
        ])
    }

    static func credential(_ credential: Credential) -> JSONText {
        .object([
            ("fingerprint", .string(credential.fingerprint.description)), ("rule", .string(credential.rule)),
            ("kind", .string(credential.kind.rawValue)), ("confidence", .string(credential.confidence.rawValue)),
            ("redacted", .string(credential.redacted)),
            // identity and owner are always present (null when unknown), as the contract shows them.
            ("identity", credential.identity.jsonOrNull), ("owner", credential.owner.jsonOrNull),
            ("suggested_owners", .array(credential.suggestedOwners.map(JSONText.string))),
            ("flags", .array(credential.flags.map { .string($0.rawValue) })),
            ("owasp_nhi", .array(credential.owaspNHI.map(JSONText.string))),
            ("repositories", .array(credential.repositories.map(JSONText.string))),
            ("subject", .string(credential.subject.rawValue)),
            ("environments", .array(credential.environments.map { .string($0.rawValue) })),
            ("first_seen", credential.history.map { sighting($0.firstSeen) }),
            ("last_seen", credential.history.map { sighting($0.lastSeen) }),
            ("present_in", credential.history?.presentIn.map { .array($0.map(JSONText.string)) }),
            ("locations", .array(credential.locations.map {
                .object([("repo", .string($0.repository)), ("path", .string($0.path)), ("line", .int($0.line)),
                         ("commit", $0.commit.json), ("environment", $0.environment.map { .string($0.rawValue) })])
            })),
        ])
    }

    static func sighting(_ sighting: HistoryEvidence.Sighting) -> JSONText {
        .object([("repo", .string(sighting.repository)), ("commit", .string(sighting.commit)),
                 ("author", sighting.author.json), ("date", .string(sighting.date))])
    }

    static func summary(_ report: ScanReport) -> JSONText {
        .object([
            ("files", .int(report.files)), ("bytes", .int(report.bytes)), ("findings", .int(report.findings.count)),
            ("credentials", .int(report.credentials.count)), ("repositories", .int(report.repositories.count)),
            ("skipped", .object(report.skipped.map { ($0.key.rawValue, .int($0.value)) })),
            ("suppressed", .object(report.suppressed.map { ($0.key, .int($0.value)) })),
            ("flags", .object(report.flagCounts.map { ($0.0.rawValue, .int($0.1)) })),
            ("match_limit_errors", .int(report.matchLimitErrors)),
            ("limits", .object(report.limits.map { ($0.key.rawValue, .int($0.value)) })),
            ("as_of", report.hasHistory ? .string(report.policy.asOf.description) : nil),
            ("max_age_days", report.hasHistory ? .int(report.policy.maximumAgeDays) : nil),
        ])
    }
}
