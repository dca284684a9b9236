import Foundation
import GRDB
import SprawlCore

/// Sweeps kept in an embedded SQLite database (`--store PATH`): each sweep's credentials — by
/// fingerprint, with flags, owner and locations, never a plaintext secret — so that `sprawl diff`
/// can tell what a month of clean-up removed and what appeared since.
///
/// The schema is versioned by named migrations (`v1`, …) recorded in GRDB's `grdb_migrations`
/// table; docs/store.md describes it. A store written by a newer sprawl than this one is refused
/// rather than misread.
public final class SweepStore {
    public struct StoreError: Error, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    /// One stored sweep.
    public struct Sweep: Sendable, Equatable {
        public let id: Int64
        public let createdAt: String
        public let root: String
        public let keyID: String
        public let credentials: Int
        public let findings: Int
    }

    /// One credential of a stored sweep.
    public struct StoredCredential: Sendable, Equatable {
        public let fingerprint: String
        public let rule: String
        public let kind: String
        public let redacted: String
        public let owner: String?
        public let flags: [String]
        public let locations: Int
        public let repositories: [String]
    }

    /// What changed between two sweeps.
    public struct Difference: Sendable {
        public let from: Sweep
        public let to: Sweep
        public let appeared: [StoredCredential]
        public let disappeared: [StoredCredential]
        /// Same credential, other flags: (before, after).
        public let changed: [(StoredCredential, StoredCredential)]
    }

    static let migrations: [String] = ["v1"]

    public let path: String
    private let queue: DatabaseQueue

    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            queue = try DatabaseQueue(path: path)
            let applied = try queue.read { db in
                try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
            }
            if let unknown = applied.first(where: { !Self.migrations.contains($0) }) {
                throw StoreError(path: path, message: "written by a newer sprawl (schema \(unknown)); this one knows \(Self.migrations.joined(separator: ", "))")
            }
            try Self.migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, message: "cannot open the store: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "sweep") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("created_at", .text).notNull()
                table.column("root", .text).notNull()
                table.column("key_id", .text).notNull()
                table.column("contract_version", .integer).notNull()
                table.column("files", .integer).notNull()
                table.column("bytes", .integer).notNull()
                table.column("findings", .integer).notNull()
            }
            try db.create(table: "credential") { table in
                table.column("sweep_id", .integer).notNull().references("sweep", onDelete: .cascade)
                table.column("fingerprint", .text).notNull()
                table.column("rule", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("confidence", .text).notNull()
                table.column("redacted", .text).notNull()
                table.column("identity", .text)
                table.column("owner", .text)
                table.column("flags", .text).notNull()          // sorted, comma-separated
                table.column("repositories", .text).notNull()   // sorted, newline-separated
                table.column("locations", .integer).notNull()
                table.primaryKey(["sweep_id", "fingerprint"])
            }
            try db.create(table: "location") { table in
                table.column("sweep_id", .integer).notNull().references("sweep", onDelete: .cascade)
                table.column("fingerprint", .text).notNull()
                table.column("repo", .text).notNull()
                table.column("path", .text).notNull()
                table.column("line", .integer).notNull()
                table.column("commit", .text)
            }
            try db.create(index: "location_by_credential", on: "location", columns: ["sweep_id", "fingerprint"])
        }
        return migrator
    }

    /// Appends a sweep's report; returns the new sweep's id.
    @discardableResult
    public func append(_ report: ScanReport, root: String, createdAt: Date = Date()) throws(StoreError) -> Int64 {
        do {
            return try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO sweep (created_at, root, key_id, contract_version, files, bytes, findings)
                    VALUES (?, ?, ?, 1, ?, ?, ?)
                    """, arguments: [ISO8601DateFormatter().string(from: createdAt), root, report.keyID, report.files, report.bytes,
                                     report.findings.count])
                let id = db.lastInsertedRowID
                let credential = try db.makeStatement(sql: """
                    INSERT INTO credential (sweep_id, fingerprint, rule, kind, confidence, redacted, identity, owner, flags,
                                            repositories, locations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let location = try db.makeStatement(sql: "INSERT INTO location (sweep_id, fingerprint, repo, path, line, \"commit\") VALUES (?, ?, ?, ?, ?, ?)")
                for item in report.credentials {
                    let fingerprint = item.fingerprint.description
                    try credential.execute(arguments: [id, fingerprint, item.rule, item.kind.rawValue, item.confidence.rawValue,
                                                       item.redacted, item.identity, item.owner,
                                                       item.flags.map(\.rawValue).sorted().joined(separator: ","),
                                                       item.repositories.sorted().joined(separator: "\n"), item.locations.count])
                    for place in item.locations {
                        try location.execute(arguments: [id, fingerprint, place.repository, place.path, place.line, place.commit])
                    }
                }
                return id
            }
        } catch {
            throw StoreError(path: path, message: "cannot store the sweep: \(error)")
        }
    }

    /// Every stored sweep, oldest first.
    public func sweeps() throws(StoreError) -> [Sweep] {
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT s.id, s.created_at, s.root, s.key_id, s.findings,
                           (SELECT COUNT(*) FROM credential c WHERE c.sweep_id = s.id) AS credentials
                    FROM sweep s ORDER BY s.id
                    """).map { row in
                    Sweep(id: row["id"], createdAt: row["created_at"], root: row["root"], keyID: row["key_id"],
                          credentials: row["credentials"], findings: row["findings"])
                }
            }
        } catch {
            throw StoreError(path: path, message: "cannot read the store: \(error)")
        }
    }

    func credentials(of sweep: Int64) throws -> [String: StoredCredential] {
        try queue.read { db in
            var result = [String: StoredCredential]()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM credential WHERE sweep_id = ?", arguments: [sweep]) {
                let flags: String = row["flags"], repositories: String = row["repositories"]
                let item = StoredCredential(fingerprint: row["fingerprint"], rule: row["rule"], kind: row["kind"], redacted: row["redacted"],
                                            owner: row["owner"], flags: flags.isEmpty ? [] : flags.components(separatedBy: ","),
                                            locations: row["locations"],
                                            repositories: repositories.isEmpty ? [] : repositories.components(separatedBy: "\n"))
                result[item.fingerprint] = item
            }
            return result
        }
    }

    /// The credentials that appeared, disappeared or changed flags from sweep `from` to sweep `to`
    /// (by default the last two). Fingerprints of different keys never match: such sweeps are refused.
    public func difference(from: Int64? = nil, to: Int64? = nil) throws(StoreError) -> Difference {
        let all = try sweeps()
        let target = to.flatMap { id in all.first { $0.id == id } } ?? (to == nil ? all.last : nil)
        guard let target else { throw StoreError(path: path, message: to.map { "no sweep \($0)" } ?? "the store holds no sweep") }
        let base = from.flatMap { id in all.first { $0.id == id } } ?? (from == nil ? all.last { $0.id < target.id } : nil)
        guard let base else {
            throw StoreError(path: path, message: from.map { "no sweep \($0)" } ?? "the store holds no sweep before \(target.id) to compare with")
        }
        guard base.keyID == target.keyID else {
            throw StoreError(path: path, message: "sweeps \(base.id) and \(target.id) used different fingerprint keys; their credentials cannot be compared")
        }
        do {
            let before = try credentials(of: base.id), after = try credentials(of: target.id)
            let order: (StoredCredential, StoredCredential) -> Bool = { ($0.rule, $0.fingerprint) < ($1.rule, $1.fingerprint) }
            return Difference(
                from: base, to: target,
                appeared: after.values.filter { before[$0.fingerprint] == nil }.sorted(by: order),
                disappeared: before.values.filter { after[$0.fingerprint] == nil }.sorted(by: order),
                changed: after.values.compactMap { new in before[new.fingerprint].flatMap { $0.flags != new.flags ? ($0, new) : nil } }
                    .sorted { order($0.1, $1.1) })
        } catch {
            throw StoreError(path: path, message: "cannot read the store: \(error)")
        }
    }
}
