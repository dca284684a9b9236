import Foundation

/// Reduces JSON reports (contracts §3) — the shards of a sweep — to one scan result, which the
/// correlator then groups as if one sweep had found everything: credentials by fingerprint
/// across reports, `duplicated` and `cross-repo` over the union, inventory flags anew.
///
/// Reports are added one at a time and only their findings and counts are kept, so memory
/// follows the findings, not the number of reports. Reports of another contract version or
/// made with another fingerprint key are refused: their fingerprints would not group.
public struct ReportMerger {
    public struct MergeError: Error, CustomStringConvertible {
        public let file: String
        public let field: String
        public let message: String
        public var description: String { "\(file): field \(field): \(message)" }
    }

    private var merged = ScanResult()
    private var summaries = [Sweep.RepositorySummary]()
    /// The fingerprint key's identifier shared by every report added.
    public private(set) var keyID = ""
    /// The day and maximum age the history reports among them decided `long-lived` on: the
    /// latest day of any, and the one maximum age they all share.
    public private(set) var policy: EvidencePolicy?

    public init() {}

    public mutating func add(_ data: Data, file: String) throws(MergeError) {
        func fail(_ field: String, _ message: String) -> MergeError { MergeError(file: file, field: field, message: message) }
        /// The value `entry[key]` names, nil when absent; a name the contract does not know is an error.
        func named<Value: RawRepresentable>(_ entry: [String: Any], _ key: String, in field: String) throws(MergeError) -> Value?
            where Value.RawValue == String {
            guard let name = entry[key] as? String else { return nil }
            guard let value = Value(rawValue: name) else { throw fail(field + "." + key, "unknown \(key) '\(name)'") }
            return value
        }
        guard let report = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("(file)", "not a JSON report")
        }
        guard report["version"] as? Int == 1 else { throw fail("version", "expected contract version 1, found \(report["version"] ?? "none")") }
        guard let key = report["key_id"] as? String, !key.isEmpty else {
            throw fail("key_id", "missing: the report predates key identifiers, so its fingerprint key cannot be checked")
        }
        if keyID.isEmpty { keyID = key }
        guard key == keyID else {
            throw fail("key_id", "\(key) differs from \(keyID): the reports were made with different SPRAWL_FINGERPRINT_KEY values")
        }
        guard let summary = report["summary"] as? [String: Any] else { throw fail("summary", "missing") }
        var part = ScanResult()
        part.files = summary["files"] as? Int ?? 0
        part.bytes = summary["bytes"] as? Int ?? 0
        part.matchLimitErrors = summary["match_limit_errors"] as? Int ?? 0
        for (name, count) in summary["skipped"] as? [String: Int] ?? [:] {
            guard let reason = SkipReason(rawValue: name) else { throw fail("summary.skipped.\(name)", "unknown skip reason") }
            part.skipped[reason] = count
        }
        part.suppressed = summary["suppressed"] as? [String: Int] ?? [:]
        if let asOfText = summary["as_of"] as? String {
            guard let asOf = Day(parsing: asOfText) else { throw fail("summary.as_of", "expected a date YYYY-MM-DD") }
            guard let maximumAge = summary["max_age_days"] as? Int, maximumAge >= 0 else {
                throw fail("summary.max_age_days", "missing or negative beside as_of")
            }
            if let policy, policy.maximumAgeDays != maximumAge {
                throw fail("summary.max_age_days", "\(maximumAge) differs from \(policy.maximumAgeDays): the shards were run with different --max-age")
            }
            policy = EvidencePolicy(asOf: max(asOf, policy?.asOf ?? asOf), maximumAgeDays: maximumAge)
        }
        for (name, count) in summary["limits"] as? [String: Int] ?? [:] {
            guard let limit = WorkLimit(rawValue: name) else { throw fail("summary.limits.\(name)", "unknown limit") }
            part.limits[limit] = count
        }
        for (index, entry) in (report["repositories"] as? [[String: Any]] ?? []).enumerated() {
            guard let name = entry["name"] as? String, let kindName = entry["kind"] as? String,
                  let kind = Sweep.Kind(rawValue: kindName) else { throw fail("repositories[\(index)]", "needs a name and a kind") }
            summaries.append(Sweep.RepositorySummary(name: name, kind: kind, files: entry["files"] as? Int ?? 0,
                                                     bytes: entry["bytes"] as? Int ?? 0, findings: entry["findings"] as? Int ?? 0))
            part.repositories[name] = Repository(name: name, directory: "", prefix: "")
        }
        for (index, entry) in (report["findings"] as? [[String: Any]] ?? []).enumerated() {
            let field = "findings[\(index)]"
            guard let rule = entry["rule"] as? String, let kindName = entry["kind"] as? String,
                  let kind = IdentityKind(rawValue: kindName), let path = entry["path"] as? String,
                  let repository = entry["repo"] as? String, let line = entry["line"] as? Int, let column = entry["column"] as? Int,
                  let fingerprintText = entry["fingerprint"] as? String, let fingerprint = Fingerprint(parsing: fingerprintText),
                  let redacted = entry["redacted"] as? String, let source = entry["source"] as? String else {
                throw fail(field, "missing or malformed rule, kind, path, repo, line, column, fingerprint, redacted or source")
            }
            let confidence = (entry["confidence"] as? String).flatMap(Confidence.init(rawValue:)) ?? .medium
            var finding = Finding(rule: rule, kind: kind, path: path, repository: repository, line: line, column: column,
                                  fingerprint: fingerprint, redacted: redacted, source: source,
                                  decoded: entry["decoded"] as? String, secret: entry["secret"] as? String, confidence: confidence)
            finding.commit = entry["commit"] as? String
            finding.author = entry["author"] as? String
            finding.date = entry["date"] as? String
            finding.codeOwners = entry["code_owners"] as? [String] ?? []
            finding.inCurrentTree = entry["in_current_tree"] as? Bool
            finding.subject = try named(entry, "subject", in: field) ?? .unknown
            finding.environment = try named(entry, "environment", in: field)
            finding.automation = try named(entry, "automation", in: field)
            part.findings.append(finding)
            if part.repositories[repository] == nil { part.repositories[repository] = Repository(name: repository, directory: "", prefix: "") }
        }
        merged.merge(part)
    }

    /// The merged result, normalized, and the per-repository summaries of sweeps, by name.
    public func result() -> (ScanResult, [Sweep.RepositorySummary]) {
        var result = merged
        result.normalize()
        return (result, summaries.sorted { $0.name < $1.name })
    }
}
