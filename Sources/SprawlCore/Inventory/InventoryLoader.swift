import Foundation

/// An inventory file that cannot be used: file, line and field, and what is wrong (exit code 2).
public struct InventoryError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let field: String
    public let message: String
    public var description: String { "\(file):\(line): field \(field): \(message)" }

    init(_ error: FieldError) {
        (file, line, field, message) = (error.file, error.line, error.field, error.message)
    }
}

/// Reads an owner inventory from YAML or JSON (JSON is YAML's subset, so one parser serves both,
/// with the same located errors). Nothing is silently ignored: unknown fields, bad dates and
/// malformed fingerprints are errors.
public enum InventoryLoader {
    public static func load(path: String, today: Day = .today()) throws(InventoryError) -> Inventory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryError(FieldError(file: path, line: 0, field: "(file)", message: "cannot read file"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InventoryError(FieldError(file: path, line: 1, field: "(file)", message: "not valid UTF-8"))
        }
        do {
            return try parse(text, file: path, today: today)
        } catch { throw InventoryError(error) }
    }

    static func parse(_ text: String, file: String, today: Day) throws(FieldError) -> Inventory {
        let document = try YAMLFields.parse(text, file: file)
        try document.rejectUnknownKeys(["version", "as_of", "owners", "identities"])
        guard let version = try document.optionalInt("version") else { throw document.error("version", "missing required field") }
        guard version == 1 else { throw document.error("version", "unsupported version \(version) (this sprawl reads version 1)", at: document.raw("version")) }
        var asOf = today
        if let text = try document.optionalString("as_of") {
            guard let day = Day(parsing: text) else { throw document.error("as_of", "expected a date YYYY-MM-DD", at: document.raw("as_of")) }
            asOf = day
        }
        var owners = [Inventory.Owner]()
        var ownerIDs = Set<String>()
        for fields in try document.mappings("owners") {
            try fields.rejectUnknownKeys(["id", "status", "name", "email", "description"])
            let id = try fields.string("id")
            guard ownerIDs.insert(id).inserted else { throw fields.error("id", "duplicate owner id '\(id)'", at: fields.raw("id")) }
            let statusText = try fields.string("status")
            guard let status = Inventory.Owner.Status(rawValue: statusText) else {
                throw fields.error("status", "expected active or departed, not '\(statusText)'", at: fields.raw("status"))
            }
            owners.append(Inventory.Owner(id: id, status: status))
        }
        var identities = [Inventory.Identity]()
        var identityIDs = Set<String>()
        var holder = [Fingerprint: String]()
        for fields in try document.mappings("identities") {
            try fields.rejectUnknownKeys(["id", "kind", "owner", "last_rotated", "rotation_days", "fingerprints", "description", "rule"])
            let id = try fields.string("id")
            guard identityIDs.insert(id).inserted else { throw fields.error("id", "duplicate identity id '\(id)'", at: fields.raw("id")) }
            let kindText = try fields.string("kind")
            guard let kind = IdentityKind(rawValue: kindText) else {
                throw fields.error("kind", "unknown kind '\(kindText)' (one of \(IdentityKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                                   at: fields.raw("kind"))
            }
            var lastRotated: Day?
            if let text = try fields.optionalString("last_rotated") {
                guard let day = Day(parsing: text) else {
                    throw fields.error("last_rotated", "expected a date YYYY-MM-DD, not '\(text)'", at: fields.raw("last_rotated"))
                }
                lastRotated = day
            }
            let rotationDays = try fields.optionalInt("rotation_days")
            if let rotationDays, rotationDays <= 0 {
                throw fields.error("rotation_days", "must be a positive number of days", at: fields.raw("rotation_days"))
            }
            var fingerprints = [Fingerprint]()
            for (index, item) in try fields.strings("fingerprints").enumerated() {
                guard let fingerprint = Fingerprint(parsing: item.value) else {
                    throw FieldError(file: file, line: item.line, field: fields.qualified("fingerprints[\(index)]"),
                                     message: "malformed fingerprint (expected fp1: and 64 lower-case hex digits)")
                }
                if let other = holder[fingerprint], other != id {
                    throw FieldError(file: file, line: item.line, field: fields.qualified("fingerprints[\(index)]"),
                                     message: "fingerprint already held by identity '\(other)'")
                }
                holder[fingerprint] = id
                fingerprints.append(fingerprint)
            }
            identities.append(Inventory.Identity(id: id, kind: kind, owner: try fields.optionalString("owner"),
                                                 lastRotated: lastRotated, rotationDays: rotationDays, fingerprints: fingerprints))
        }
        return Inventory(version: version, asOf: asOf, owners: owners, identities: identities)
    }
}
