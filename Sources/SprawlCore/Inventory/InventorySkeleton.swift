import Foundation

/// Writes an inventory skeleton from a JSON report: one identity per credential found, with its
/// fingerprint, rule, kind and locations, for a team to fill in owners and rotation dates.
///
/// This is how an organisation bootstraps its inventory from a first sweep. Owners are left empty
/// (an identity with no listed owner is reported `owner-departed` until someone claims it);
/// CODEOWNERS suggestions are written as comments, never as owners.
public enum InventorySkeleton {
    public struct ReportError: Error, CustomStringConvertible, Sendable {
        public let file: String
        public let message: String
        public var description: String { "\(file): \(message)" }
    }

    public static func make(fromReport path: String, today: Day = .today()) throws(ReportError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReportError(file: path, message: "cannot read file") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["version"] as? Int == 1, let credentials = object["credentials"] as? [[String: Any]] else {
            throw ReportError(file: path, message: "not a sprawl JSON report (version 1 with credentials[])")
        }
        var out = """
            # Owner inventory skeleton, written by `sprawl inventory init` from \(path) on \(today).
            # For each identity: set `owner` to an id listed under `owners`, and add `last_rotated`
            # (YYYY-MM-DD) and `rotation_days` when the credential has a rotation policy.
            # Format: docs/contracts.md section 2.
            version: 1
            as_of: "\(today)"
            owners: []
            identities:

            """
        var usedIDs = Set<String>()
        for (index, credential) in credentials.enumerated() {
            guard let fingerprint = credential["fingerprint"] as? String, Fingerprint(parsing: fingerprint) != nil else {
                throw ReportError(file: path, message: "credentials[\(index)].fingerprint: malformed fingerprint")
            }
            let rule = credential["rule"] as? String ?? "credential"
            let kind = (credential["kind"] as? String).flatMap(IdentityKind.init(rawValue:)) ?? .apiKey
            var id = "\(rule)-\(fingerprint.dropFirst(4).prefix(8))"
            while !usedIDs.insert(id).inserted { id += "x" }
            out += "  - id: \(quoted(id))\n"
            out += "    kind: \(quoted(kind.rawValue))\n"
            if let suggested = credential["suggested_owners"] as? [String], !suggested.isEmpty {
                out += "    # suggested owner (CODEOWNERS): \(suggested.joined(separator: " "))\n"
            }
            out += "    owner: null\n"
            for location in (credential["locations"] as? [[String: Any]] ?? []).prefix(20) {
                let place = "\(location["path"] as? String ?? "?"):\(location["line"] as? Int ?? 0)"
                out += "    # found at \(place.replacingOccurrences(of: "\n", with: " "))\n"
            }
            out += "    fingerprints: [\(quoted(fingerprint))]\n"
        }
        return out
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
