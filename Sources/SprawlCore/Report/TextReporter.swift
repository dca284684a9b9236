import Foundation

/// The human report, leading with what a security team acts on: counts by flag, the most
/// duplicated credentials, unowned credentials by kind, departed owners' credentials; then every
/// credential with its locations, and the accounting of what was scanned and skipped.
///
/// Colour only when writing to a terminal; secrets redacted unless `--show-secrets`.
public struct TextReporter: Reporter {
    public let colored: Bool
    public let verbose: Bool

    public init(colored: Bool, verbose: Bool) {
        self.colored = colored
        self.verbose = verbose
    }

    private func paint(_ text: String, _ code: String) -> String { colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    private func plural(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    public func render(_ report: ScanReport) -> String {
        var out = ""
        if report.credentials.isEmpty {
            out += paint("No secrets found.", "32") + "\n"
        } else {
            out += overview(report)
            out += paint("Credentials", "1") + "\n\n"
            for credential in report.credentials { out += describe(credential) }
        }
        if !report.sweptRepositories.isEmpty { out += repositoryTable(report) }
        out += accounting(report)
        return out
    }

    private func overview(_ report: ScanReport) -> String {
        var out = paint(plural(report.credentials.count, "credential"), "1;31") + " in "
            + plural(report.findings.count, "location")
            + (report.repositories.count > 1 ? " across \(plural(report.repositories.count, "repository", "repositories"))" : "")
            + "\n"
        for (flag, count) in report.flagCounts where count > 0 {
            out += "  \(flag.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(String(count).leftPadded(5))   "
                + paint(flag.owaspNHI.joined(separator: "; "), "2") + "\n"
        }
        let raised = report.flagCounts.filter { $0.1 > 0 }.map(\.0)
        if !raised.isEmpty {
            out += "\n" + paint("What to do", "1") + "\n"
            for flag in raised { out += "  \(flag.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0)) \(flag.advice)\n" }
        }
        let duplicated = report.credentials.filter { $0.locations.count > 1 }.prefix(5)
        if !duplicated.isEmpty {
            out += "\n" + paint("Most duplicated", "1") + "\n"
            for credential in duplicated {
                out += "  \(credential.rule) \(credential.redacted): \(plural(credential.locations.count, "location"))"
                    + (credential.repositories.count > 1 ? " in \(credential.repositories.count) repositories" : "") + "\n"
                for location in credential.locations.prefix(4) { out += "    \(PathBytes.display(location.path)):\(location.line)\n" }
                if credential.locations.count > 4 { out += "    … \(credential.locations.count - 4) more\n" }
            }
        }
        let unowned = report.credentials.filter { $0.flags.contains(.unowned) }
        if !unowned.isEmpty && report.inventoryUsed {
            out += "\n" + paint("Unowned by kind", "1") + "\n"
            let byKind = Dictionary(grouping: unowned, by: \.kind).sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key.rawValue < $1.key.rawValue }
            for (kind, group) in byKind { out += "  \(kind.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(group.count)\n" }
        }
        let departed = report.credentials.filter { $0.flags.contains(.ownerDeparted) }
        if !departed.isEmpty {
            out += "\n" + paint("Owner departed", "1") + "\n"
            for credential in departed {
                out += "  \(credential.owner ?? "(unlisted owner)"): \(credential.identity ?? "?") \(credential.rule) \(credential.redacted)"
                    + " at \(credential.locations.first.map { "\(PathBytes.display($0.path)):\($0.line)" } ?? "")\n"
            }
        }
        return out + "\n"
    }

    private func describe(_ credential: Credential) -> String {
        var header = paint(credential.rule, "1") + "  " + credential.redacted + "  " + paint(credential.fingerprint.description, "2")
            + "  (\(credential.confidence.rawValue) confidence)"
        if !credential.flags.isEmpty { header += "  [" + credential.flags.map(\.rawValue).joined(separator: ", ") + "]" }
        var out = header + "\n"
        if let identity = credential.identity {
            out += "  identity: \(identity)" + (credential.owner.map { ", owner: \($0)" } ?? "") + "\n"
        } else if !credential.suggestedOwners.isEmpty {
            out += "  suggested owners (CODEOWNERS): \(credential.suggestedOwners.joined(separator: " "))\n"
        }
        out += "  " + paint("OWASP: \(credential.owaspNHI.joined(separator: "; "))", "2") + "\n"
        if let history = credential.history {
            out += "  first committed \(Self.describe(history.firstSeen))\n"
            if history.lastSeen != history.firstSeen { out += "  last committed \(Self.describe(history.lastSeen))\n" }
            if let present = history.presentIn {
                out += present.isEmpty ? "  in no current tree: history only\n" : "  in the current tree of \(present.joined(separator: ", "))\n"
            }
        }
        if !credential.environments.isEmpty {
            out += "  environments: \(credential.environments.map(\.rawValue).joined(separator: ", "))\n"
        }
        if credential.subject == .human { out += "  bound to a person (its rule's subject is human)\n" }
        for location in credential.locations {
            out += "  \(PathBytes.display(location.path)):\(location.line)" + (location.commit.map { " (commit \($0.prefix(12)))" } ?? "")
                + (location.environment.map { " [\($0.rawValue)]" } ?? "") + "\n"
        }
        return out + "\n"
    }

    private func repositoryTable(_ report: ScanReport) -> String {
        var out = paint("Repositories", "1") + "\n"
        for repository in report.sweptRepositories {
            out += "  \(repository.name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(repository.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))"
                + " \(String(repository.files).leftPadded(7)) files \(Self.formatBytes(repository.bytes).leftPadded(10))"
                + " \(String(repository.findings).leftPadded(5)) findings\n"
        }
        return out + "\n"
    }

    private func accounting(_ report: ScanReport) -> String {
        var summary = "Scanned \(plural(report.files, "file")) (\(Self.formatBytes(report.bytes)))"
        let skippedTotal = report.skipped.values.reduce(0, +)
        if skippedTotal > 0 {
            let reasons = report.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            summary += "; skipped \(skippedTotal) (\(reasons))"
        }
        let suppressedTotal = report.suppressed.values.reduce(0, +)
        if suppressedTotal > 0 {
            let kinds = report.suppressed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            summary += "; suppressed \(suppressedTotal) (\(kinds))"
        }
        if report.matchLimitErrors > 0 { summary += "; \(report.matchLimitErrors) match attempts hit the regex limit" }
        let cuts = report.limits.filter { $0.key != .regexLimit }.sorted { $0.key < $1.key }
        if !cuts.isEmpty { summary += "; cut short at a bound: " + cuts.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") }
        var out = paint(summary + ".", "2") + "\n"
        if verbose {
            for skipped in report.skippedFiles { out += "  skipped \(skipped.reason.rawValue): \(PathBytes.display(skipped.path))\n" }
        }
        return out
    }

    /// `2025-10-29 by Ann <ann@example.com> (commit 1a2b3c4d5e6f, repo)`.
    static func describe(_ sighting: HistoryEvidence.Sighting) -> String {
        "\(sighting.date.prefix(10))" + (sighting.author.map { " by \($0)" } ?? "")
            + " (commit \(sighting.commit.prefix(12)), \(sighting.repository))"
    }

    static func formatBytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
