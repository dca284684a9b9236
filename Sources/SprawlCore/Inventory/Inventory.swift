import Foundation

/// The owner inventory (contracts.md §2): who owns which credential, and when it was rotated.
public struct Inventory: Sendable {
    public struct Owner: Sendable {
        public enum Status: String, Sendable { case active, departed }
        public let id: String
        public let status: Status
    }

    public struct Identity: Sendable {
        public let id: String
        public let kind: IdentityKind
        public let owner: String?
        public let lastRotated: Day?
        public let rotationDays: Int?
        public let fingerprints: [Fingerprint]
    }

    public let version: Int
    /// The day rotation ages are measured against.
    public let asOf: Day
    public let owners: [String: Owner]
    public let identities: [Identity]
    private let identityByFingerprint: [Fingerprint: Int]

    public init(version: Int = 1, asOf: Day, owners: [Owner], identities: [Identity]) {
        self.version = version
        self.asOf = asOf
        self.owners = Dictionary(owners.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.identities = identities
        var index = [Fingerprint: Int]()
        for (position, identity) in identities.enumerated() {
            for fingerprint in identity.fingerprints where index[fingerprint] == nil { index[fingerprint] = position }
        }
        identityByFingerprint = index
    }

    /// The identity that holds `fingerprint`, if any.
    public func identity(holding fingerprint: Fingerprint) -> Identity? {
        identityByFingerprint[fingerprint].map { identities[$0] }
    }

    /// Whether the identity's owner has left, or is not listed at all (an owner nobody can name
    /// is as good as gone).
    public func isOwnerDeparted(_ identity: Identity) -> Bool {
        guard let ownerID = identity.owner, let owner = owners[ownerID] else { return true }
        return owner.status == .departed
    }

    /// Whether `as_of - last_rotated > rotation_days`.
    public func isRotationOverdue(_ identity: Identity) -> Bool {
        guard let rotated = identity.lastRotated, let maximum = identity.rotationDays else { return false }
        return asOf.days(since: rotated) > maximum
    }
}

/// A calendar day (`YYYY-MM-DD`), compared without time zones.
public struct Day: Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        ordinal = Self.ordinal(year: year, month: month, day: day)
    }

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Today in UTC.
    public static func today() -> Day { Day(ordinal: Int(floor(Date().timeIntervalSince1970 / 86_400))) }

    public func days(since earlier: Day) -> Int { ordinal - earlier.ordinal }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    public var description: String {
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
