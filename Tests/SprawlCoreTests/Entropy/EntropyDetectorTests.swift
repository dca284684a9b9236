import Testing
@testable import SprawlCore

@Suite struct EntropyDetectorTests {
    @Test func shannonEntropyEdgeValues() {
        #expect(EntropyDetector.shannonEntropy([UInt8]()) == 0)
        #expect(EntropyDetector.shannonEntropy(Array("aaaaaaaa".utf8)) == 0)
        #expect(EntropyDetector.shannonEntropy(Array("abababab".utf8)) == 1.0)
        #expect(EntropyDetector.shannonEntropy(Array("abcd".utf8)) == 2.0)
        #expect(EntropyDetector.shannonEntropy(Array(0...255).map(UInt8.init)) == 8.0)
    }

    @Test(arguments: [
        "q7Rk2mX9vLp4Tz8Nw3Hs", "Zr8#kQ2m!vX5pL9wT4nB", "c4f9a2e7b1d84e6fa3c5b7d9e1f2a4c6", "hT6v^Qm2Kx9pR4wZ*Ls7",
    ])
    func randomValuesAreSecrets(value: String) {
        #expect(EntropyDetector.isLikelySecret(Array(value.utf8)))
    }

    @Test(arguments: [
        "changeme", "changeme123", "${DB_PASSWORD}", "{{ .Values.password }}", "<your-token>", "%(password)s",
        "$PASSWORD", "xxxxxxxxxxxxxxxx", "****************", "12345678", "abcdefghijkl", "password123",
        "example-secret-value", "getPassword()", "config.database.password", "my_secret_name", "/run/secrets/db",
        "https://example.com/token", "aaaaaaaaaaaaaaaa", "YOUR_API_KEY_HERE", "dummy-token-value", "short",
        "ReplaceWithYourToken", "some words with spaces", "clm52899:AgencyIdentificationCodeContentType",
    ])
    func placeholdersAreNot(value: String) {
        #expect(!EntropyDetector.isLikelySecret(Array(value.utf8)))
    }

    @Test func typedValuesAreNotPlaceholdersButAreTyped() {
        // The scanner decides by the file (see DetectionTests); the detector does not drop them.
        for value in ["abcdef1234567890abcdef1234567890", "Tq8mK3xV7zR2pABCDEFGHL9w"] {
            #expect(EntropyDetector.isLikelySecret(Array(value.utf8)), "\(value)")
            #expect(Array(value.utf8).withUnsafeBytes { PlaceholderFilter.looksTyped($0) }, "\(value)")
        }
        #expect(!Array("q7Rk2mX9vLp4Tz8Nw3Hs".utf8).withUnsafeBytes { PlaceholderFilter.looksTyped($0) })
    }

    @Test func namesMadeOfCapitalizedWordsAreNotSecrets() {
        #expect(PlaceholderFilter.isMostlyCapitalizedWords(Array("GetUserAccountSettings".utf8)))
        #expect(!PlaceholderFilter.isMostlyCapitalizedWords(Array("Hk4vT9mQ2xL7pR3wZ8nBq5Yc".utf8)))
        #expect(!PlaceholderFilter.isMostlyCapitalizedWords(Array("ThisIsNotARealKey9".utf8)))
    }

    @Test func wordsAreRecognised() {
        #expect(GenericContext.looksLikeWords(Array("bl0bisawesome!".utf8)))
        #expect(!GenericContext.looksLikeWords(Array("q7Rk2mX9vLp4Tz8Nw3Hs".utf8)))
    }

    @Test(arguments: [
        ("Tests/inputs/api.yaml", true), ("src/test/resources/app.yml", true), ("pkg/auth/token_test.go", true),
        ("tests/test_settings.py", true), ("web/src/login.spec.ts", true), ("docs/setup.md", true),
        ("Sources/App/ConfigTests.swift", true), (".env", false), ("deploy/k8s/secret.yaml", false),
        ("config/application.yml", false), ("services/latest/.env", false),
    ])
    func nonProductionPaths(path: String, expected: Bool) {
        #expect(GenericContext.isNonProduction(path) == expected)
    }
}
