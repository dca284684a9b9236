import Testing
@testable import SprawlCore

@Suite struct InventoryLoaderTests {
    let fingerprint = "fp1:" + String(repeating: "ab", count: 32)
    var valid: String {
        """
        version: 1
        as_of: "2026-11-01"
        owners:
          - id: team-payments
            status: active
          - id: jdoe
            status: departed
        identities:
          - id: payments-stripe
            kind: api-key
            owner: team-payments
            last_rotated: "2026-04-15"
            rotation_days: 90
            fingerprints: ["\(fingerprint)"]
        """
    }

    func parse(_ text: String) throws(FieldError) -> Inventory {
        try InventoryLoader.parse(text, file: "inv.yaml", today: Day(parsing: "2026-01-01")!)
    }

    @Test func validInventory() throws {
        let inventory = try parse(valid)
        let identity = try #require(inventory.identity(holding: Fingerprint(parsing: fingerprint)!))
        #expect(identity.id == "payments-stripe")
        #expect(!inventory.isOwnerDeparted(identity))
        #expect(inventory.isRotationOverdue(identity))  // 200 days > 90
        #expect(inventory.asOf.description == "2026-11-01")
    }

    @Test func jsonIsAccepted() throws {
        let json = """
            {"version": 1, "owners": [{"id": "a", "status": "departed"}],
             "identities": [{"id": "x", "kind": "token", "owner": "a", "fingerprints": ["\(fingerprint)"]}]}
            """
        let inventory = try parse(json)
        #expect(inventory.isOwnerDeparted(inventory.identities[0]))
    }

    @Test(arguments: [
        ("last_rotated: \"2026-04-15\"", "last_rotated: \"2026-02-30\"", "identities[0].last_rotated", 12),
        ("rotation_days: 90", "rotation_days: ninety", "identities[0].rotation_days", 13),
        ("kind: api-key", "kind: robot", "identities[0].kind", 10),
        ("status: departed", "status: gone", "owners[1].status", 7),
        ("version: 1", "version: 2", "version", 1),
        ("as_of: \"2026-11-01\"", "as_of: \"11/01/2026\"", "as_of", 2),
    ])
    func errorsNameLineAndField(original: String, replacement: String, field: String, line: Int) {
        do {
            _ = try parse(valid.replacingOccurrences(of: original, with: replacement))
            Issue.record("expected an error")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.line == line, "\(error)")
            #expect(error.file == "inv.yaml")
        }
    }

    @Test func malformedFingerprintIsNamed() {
        do {
            _ = try parse(valid.replacingOccurrences(of: fingerprint, with: "fp1:XYZ"))
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "identities[0].fingerprints[0]")
            #expect(error.line == 14)
        }
    }

    @Test func dayArithmetic() throws {
        let a = try #require(Day(parsing: "2024-02-28")), b = try #require(Day(parsing: "2024-03-01"))
        #expect(b.days(since: a) == 2)
        #expect(Day(parsing: "2023-02-29") == nil)
        #expect(Day(parsing: "1970-01-01")?.ordinal == 0)
        #expect(Day(parsing: "2026-11-23")?.description == "2026-11-23")
    }
}
