import Testing
@testable import SprawlCore

@Suite struct FingerprintTests {
    let defaultKey = Fingerprinter.Key(Array(Fingerprint.defaultKey.utf8))

    /// Values computed independently with Python's hmac module (contracts.md §1).
    @Test(arguments: [
        ("", "fp1:b92564f74e9741d9b2d0af35285d9fb73a73ce57e14162e48331ff29a16014dc"),
        ("hunter2", "fp1:a5998e660582597571d0533054a6c5adecdcb00461ca0de5724d3bb22e71ea52"),
        ("q7Rk2mX9vLp4Tz8Nw3Hs", "fp1:eb53d96b28970c41d1072384a2b5ccc9565cb700396f4859e85e4a51159b4bc8"),
    ])
    func knownValues(secret: String, expected: String) {
        #expect(Fingerprint(of: Array(secret.utf8), key: defaultKey).description == expected)
    }

    @Test func environmentKeyChangesTheFingerprint() {
        let key = Fingerprinter.Key.fromEnvironment(["SPRAWL_FINGERPRINT_KEY": "org-key"])
        #expect(Fingerprinter(key: key).fingerprint(of: Array("hunter2".utf8)).description
                == "fp1:c7239ccc8fa532007bde52a1fcd70a5b496c9d79e1f17e7bd188ad0955f435ec")
        let unset = Fingerprinter.Key.fromEnvironment([:])
        #expect(Fingerprinter(key: unset).fingerprint(of: Array("hunter2".utf8)).description
                == "fp1:a5998e660582597571d0533054a6c5adecdcb00461ca0de5724d3bb22e71ea52")
    }

    @Test func parsing() {
        #expect(Fingerprint(parsing: "fp1:" + String(repeating: "a", count: 64)) != nil)
        #expect(Fingerprint(parsing: "fp1:" + String(repeating: "A", count: 64)) == nil)
        #expect(Fingerprint(parsing: "fp1:" + String(repeating: "a", count: 63)) == nil)
        #expect(Fingerprint(parsing: "fp2:" + String(repeating: "a", count: 64)) == nil)
        #expect(Fingerprint(parsing: "sha256:" + String(repeating: "a", count: 64)) == nil)
    }

    @Test func redaction() {
        #expect(Redaction.redact(Array("ghp_abcdefghijklmnopqrstuvwxyz0123456789".utf8)) == "ghp_…6789")
        #expect(Redaction.redact(Array("abcdefghijklmn".utf8)) == "ab…mn")
        #expect(Redaction.redact(Array("short".utf8)) == "…")
    }
}
