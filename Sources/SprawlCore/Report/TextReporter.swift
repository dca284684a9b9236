/// The human report: what a security team acts on first, then every credential with its locations.
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

    public func render(_ report: ScanReport) -> String {
        var out = ""
        if report.credentials.isEmpty {
            out += paint("No secrets found.", "32") + "\n"
        } else {
            let counts = report.flagCounts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
            out += paint("\(report.credentials.count) credential\(report.credentials.count == 1 ? "" : "s")", "1;31")
                + " in \(report.findings.count) location\(report.findings.count == 1 ? "" : "s")"
                + (counts.isEmpty ? "" : " (\(counts))") + "\n\n"
            for credential in report.credentials {
                var header = paint(credential.rule, "1") + "  " + credential.redacted + "  " + paint(credential.fingerprint.description, "2")
                if !credential.flags.isEmpty { header += "  [" + credential.flags.map(\.rawValue).joined(separator: ", ") + "]" }
                out += header + "\n"
                if let identity = credential.identity {
                    out += "  identity: \(identity)" + (credential.owner.map { ", owner: \($0)" } ?? "") + "\n"
                } else if !credential.suggestedOwners.isEmpty {
                    out += "  suggested owners (CODEOWNERS): \(credential.suggestedOwners.joined(separator: " "))\n"
                }
                let risks = credential.owaspNHI.joined(separator: "; ")
                out += "  " + paint("OWASP: \(risks)", "2") + "\n"
                for location in credential.locations {
                    out += "  \(location.path):\(location.line)" + (location.commit.map { " (commit \($0.prefix(12)))" } ?? "") + "\n"
                }
                out += "\n"
            }
        }
        let skippedTotal = report.skipped.values.reduce(0, +)
        var summary = "Scanned \(report.files) file\(report.files == 1 ? "" : "s") (\(Self.formatBytes(report.bytes)))"
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
        out += paint(summary + ".", "2") + "\n"
        if verbose {
            for skipped in report.skippedFiles { out += "  skipped \(skipped.reason.rawValue): \(skipped.path)\n" }
        }
        return out
    }

    static func formatBytes(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

import Foundation
