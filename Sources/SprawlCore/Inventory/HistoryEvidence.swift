/// What git history says about a credential: when it was first and last committed, and in which
/// repositories it is still in the code. A credential committed long ago and still present has
/// not been rotated since (OWASP NHI7); one removed from the code but present in history is still
/// valid until rotated, and readable by everyone who can clone (NHI2).
public struct HistoryEvidence: Sendable, Equatable {
    /// One commit that wrote the credential.
    public struct Sighting: Sendable, Equatable {
        public let repository: String
        public let commit: String
        public let author: String?
        /// The author date, as git gives it (ISO 8601 with the author's offset).
        public let date: String
    }

    /// The earliest commit that wrote it, in any repository (by instant, then commit id).
    public let firstSeen: Sighting
    /// The latest commit that wrote it (the newest version of a file holding it).
    public let lastSeen: Sighting
    /// Repositories whose current tree holds it: HEAD for findings from history, and where it
    /// was found in a working tree, the index or a HEAD tree scan, that repository. Nil where
    /// presence could not be told (a range scan, a repository without a resolvable HEAD).
    public let presentIn: [String]?
    /// The instant of the first commit (seconds since 1970, UTC).
    let firstInstant: Int

    /// The evidence of `findings` (one credential's), nil without any from history.
    init?(_ findings: [Finding]) {
        var first: (Int, Finding)?, last: (Int, Finding)?
        var currentKnown = true
        var present = Set<String>()
        for finding in findings {
            // Not from history (a working tree, the index, a bare clone's HEAD tree): it is in
            // that repository's current tree by definition.
            guard finding.source == "git", finding.commit != nil else {
                present.insert(finding.repository)
                continue
            }
            guard let date = finding.date, let commit = finding.commit, let instant = GitDate.seconds(date) else { continue }
            if first.map({ (instant, commit) < ($0.0, $0.1.commit!) }) ?? true { first = (instant, finding) }
            if last.map({ (instant, commit) > ($0.0, $0.1.commit!) }) ?? true { last = (instant, finding) }
            switch finding.inCurrentTree {
            case nil: currentKnown = false
            case true?: present.insert(finding.repository)
            case false?: break
            }
        }
        guard let first, let last else { return nil }
        firstInstant = first.0
        firstSeen = Self.sighting(first.1)
        lastSeen = Self.sighting(last.1)
        presentIn = currentKnown ? present.sorted() : nil
    }

    private static func sighting(_ finding: Finding) -> Sighting {
        Sighting(repository: finding.repository, commit: finding.commit!, author: finding.author, date: finding.date!)
    }

    /// The UTC day of the first commit, the calendar `as_of` is counted in.
    public var firstDay: Day { Day(ordinal: Int((Double(firstInstant) / 86_400).rounded(.down))) }
}

/// How old a credential may be before it is `long-lived`, and the day ages are measured on.
public struct EvidencePolicy: Sendable, Equatable {
    public static let defaultMaximumAge = 90
    public let asOf: Day
    public let maximumAgeDays: Int

    public init(asOf: Day = .today(), maximumAgeDays: Int = EvidencePolicy.defaultMaximumAge) {
        self.asOf = asOf
        self.maximumAgeDays = maximumAgeDays
    }

    /// Ages measured on the inventory's `as_of`, as its rotation ages are, else on `otherwise`.
    public init(inventory: Inventory?, otherwise: Day = .today(), maximumAgeDays: Int = EvidencePolicy.defaultMaximumAge) {
        self.init(asOf: inventory?.asOf ?? otherwise, maximumAgeDays: maximumAgeDays)
    }
}

/// Git's strict ISO 8601 dates (`%aI`: `2025-10-29T12:34:56+02:00`, or `Z`).
enum GitDate {
    /// Seconds since 1970 (UTC), nil for anything else.
    static func seconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), let day = Day(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]) else { return nil }
        var offset = 0
        let zone = bytes[19...]
        if zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-") {
            guard zone.count == 6, let hours = number(zone.dropFirst().prefix(2)), let minutes = number(zone.suffix(2)) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (zone.first == UInt8(ascii: "-") ? -1 : 1)
        } else if zone.first != UInt8(ascii: "Z") {
            return nil
        }
        return day.ordinal * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }
}
