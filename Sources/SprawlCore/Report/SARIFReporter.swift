import Foundation

/// SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): one run, one rule per signature
/// that reported something, one result per finding.
///
/// Messages carry the redacted preview and the credential's flags, never the secret; each result's
/// `partialFingerprints` holds the credential fingerprint, so code scanning tracks one alert per
/// credential location across runs even when lines move.
public struct SARIFReporter: Reporter {
    public let signatures: [Signature]
    public let version: String

    public init(signatures: [Signature], version: String) {
        self.signatures = signatures
        self.version = version
    }

    public func render(_ report: ScanReport) -> String {
        let byID = Dictionary(signatures.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let usedRules = Array(Set(report.findings.map(\.rule))).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: usedRules.enumerated().map { ($0.element, $0.offset) })
        let flagsByFingerprint = Dictionary(report.credentials.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        var rules = [[String: Any]]()
        for id in usedRules {
            let signature = byID[id]
            let name = signature?.name ?? id
            let help = """
                sprawl found a credential matching the rule "\(name)" (\(id)). Treat it as leaked: rotate it at its provider, \
                remove it from the file and from history, and load it from a secret manager at run time. If it is a test \
                value, suppress it with a `sprawl:allow` comment on its line, or list its fingerprint in `.sprawlignore`.
                """
            let presentation = Presentation(signature?.confidence ?? .medium)
            var rule: [String: Any] = [
                "id": id,
                "name": Self.pascalCase(id),
                "shortDescription": ["text": name],
                "fullDescription": ["text": "\(name): a \(signature?.kind.rawValue ?? "credential") credential stored in a file."],
                "help": ["text": help, "markdown": help],
                "defaultConfiguration": ["level": presentation.level, "rank": presentation.rank] as [String: Any],
                "properties": ["tags": ["security", "secret", signature?.kind.rawValue ?? "credential"],
                               "security-severity": presentation.severity,
                               "precision": presentation.precision] as [String: Any],
            ]
            if let references = signature?.references, let first = references.first { rule["helpUri"] = first }
            rules.append(rule)
        }
        var results = [[String: Any]]()
        for finding in report.findings {
            let credential = flagsByFingerprint[finding.fingerprint]
            let flags = credential?.flags.map(\.rawValue) ?? []
            var message = "\(byID[finding.rule]?.name ?? finding.rule) \(finding.redacted) (\(finding.fingerprint.description.prefix(16))…)"
            if !flags.isEmpty { message += " [\(flags.joined(separator: ", "))]" }
            if let count = credential?.locations.count, count > 1 { message += "; found at \(count) locations" }
            if let first = credential?.history?.firstSeen { message += "; first committed \(first.date.prefix(10))" }
            // What to do, for the flags that carry NHI risk beyond the leak itself.
            for flag in credential?.flags ?? [] where CredentialFlag.evidence.contains(flag) { message += ". \(flag.rawValue): \(flag.advice)" }
            if let commit = finding.commit { message += "; introduced in \(commit.prefix(12))" + (finding.author.map { " by \($0)" } ?? "") }
            let presentation = Presentation(finding.confidence)
            var properties: [String: Any] = ["fingerprint": finding.fingerprint.description, "flags": flags,
                                             "confidence": finding.confidence.rawValue]
            if let commit = finding.commit { properties["commit"] = commit }
            if let owasp = credential?.owaspNHI { properties["owasp-nhi"] = owasp }
            properties["subject"] = finding.subject.rawValue
            if let environment = finding.environment { properties["environment"] = environment.rawValue }
            if let automation = finding.automation { properties["automation"] = automation.rawValue }
            if let history = credential?.history {
                properties["first-seen"] = history.firstSeen.date
                if let present = history.presentIn { properties["present-in"] = present }
            }
            results.append([
                "ruleId": finding.rule,
                "ruleIndex": ruleIndex[finding.rule] ?? 0,
                "level": presentation.level,
                "rank": presentation.rank,
                "message": ["text": message],
                "locations": [[
                    "physicalLocation": [
                        "artifactLocation": ["uri": Self.uri(finding.path), "uriBaseId": "%SRCROOT%"],
                        "region": ["startLine": finding.line, "startColumn": finding.column],
                    ] as [String: Any],
                ]],
                "partialFingerprints": ["sprawlCredential/v1": finding.fingerprint.description],
                "properties": properties,
            ])
        }
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "sprawl",
                    "semanticVersion": version,
                    "version": version,
                    "rules": rules,
                ] as [String: Any]],
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": ["%SRCROOT%": ["description": ["text": "The scanned root."]]],
                "results": results,
                "properties": ["files": report.files, "bytes": report.bytes,
                               "skipped": Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.key.rawValue, $0.value) }),
                               "suppressed": report.suppressed] as [String: Any],
            ] as [String: Any]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A relative path as a URI reference: every byte of the name (its original bytes, when the
    /// name is not UTF-8; see `PathBytes`) percent-encoded unless it is unreserved or `/`.
    static func uri(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in PathBytes.bytes(path) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// How a confidence reads in SARIF: `level` (a confident finding fails a code-scanning check,
    /// a generic one informs), `rank` (0–100, how likely a true positive), and GitHub's
    /// `security-severity` and `precision` rule properties.
    struct Presentation {
        let level: String, rank: Double, severity: String, precision: String

        init(_ confidence: Confidence) {
            switch confidence {
            case .high: (level, rank, severity, precision) = ("error", 90, "9.0", "very-high")
            case .medium: (level, rank, severity, precision) = ("warning", 60, "8.0", "high")
            case .low: (level, rank, severity, precision) = ("note", 30, "7.0", "medium")
            }
        }
    }

    static func pascalCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
