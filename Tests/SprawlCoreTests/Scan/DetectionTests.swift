import Foundation
import SprawlTestSupport
import Testing
@testable import SprawlCore

/// The detection stages added for the long tail: generic assignments, confidence, encodings,
/// file credentials and validators, through the same `BlobScanner` every source uses.
@Suite struct DetectionTests {
    static let signatures = (try? SignatureLoader.builtin()) ?? []
    static let matcher = SignatureMatcher(signatures: signatures)

    func scan(_ bytes: [UInt8], path: String = "config/app.env") -> [Finding] {
        let scanner = BlobScanner(matcher: Self.matcher, fingerprinter: Fingerprinter(), keepsSecrets: true)
        var findings = [Finding]()
        bytes.withUnsafeBytes {
            scanner.scan($0, origin: .init(path: path, repository: "r", source: "file"), into: &findings)
        }
        return findings
    }

    func scan(_ text: String, path: String = "config/app.env") -> [Finding] { scan(Array(text.utf8), path: path) }

    // MARK: Confidence

    @Test func confidenceFollowsTheRule() throws {
        var fakes = FakeCredentials()
        let github = try #require(scan("GITHUB_TOKEN=\(fakes.githubToken())\n").first)
        #expect(github.rule == "github-pat-classic" && github.confidence == .high)
        let generic = try #require(scan("ACME_WIDGETS_API_KEY=\(fakes.alphanumeric(32))\n").first)
        #expect(generic.rule == "generic-api-key" && generic.confidence == .low)
        let context = try #require(scan("TWILIO_AUTH_TOKEN=\(fakes.random(32, from: "0123456789abcdef"))\n").first)
        #expect(context.rule == "twilio-auth-token" && context.confidence == .medium)
    }

    @Test func typedValuesInAProviderFormatAreLowConfidence() throws {
        // The Stripe format filled in by hand: still reported, but not as a live key.
        let typed = try #require(scan("STRIPE_KEY=sk_live_abcdefghijklmnopqrstuvwx12\n").first)
        #expect(typed.rule == "stripe-live-secret" && typed.confidence == .low)
    }

    @Test func typedValuesInGenericAssignmentsCountOnlyInConfigurationInUse() throws {
        // A placeholder or a weak hand-made secret: which one the file decides.
        let line = "SERVICE_API_KEY=abcdef1234567890abcdef1234567890\n"
        let inUse = try #require(scan(line, path: "deploy/.env").first)
        #expect(inUse.rule == "generic-api-key" && inUse.confidence == .low)
        #expect(scan(line, path: "deploy/.env.example").isEmpty)
        #expect(scan(line, path: "config/settings.sample.yml").isEmpty)
        #expect(scan("let apiKey = \"abcdef1234567890abcdef1234567890\"\n", path: "Sources/App/Client.swift").isEmpty)
        // A random value is reported in all three, in source as a quoted literal.
        var fakes = FakeCredentials()
        let random = fakes.alphanumeric(32)
        #expect(scan("SERVICE_API_KEY=\(random)\n", path: "deploy/.env.example").count == 1)
        #expect(scan("let apiKey = \"\(random)\"\n", path: "Sources/App/Client.swift").count == 1)
    }

    @Test func aRuleThatOwnsItsNamesSilencesGenericRulesUnderThem() throws {
        // AWS secret access keys are 40 characters: 42 hex digits under that name are not one.
        var fakes = FakeCredentials()
        let hex42 = fakes.random(42, from: "0123456789abcdef")
        #expect(scan("export AWS_SECRET_ACCESS_KEY=\(hex42)\n").isEmpty)
        let real = try #require(scan("export AWS_SECRET_ACCESS_KEY=\(fakes.awsSecretKey())\n").first)
        #expect(real.rule == "aws-secret-access-key")
        // A name no rule owns still gets its generic finding.
        #expect(try #require(scan("export BILLING_SECRET_KEY=\(hex42)\n").first).rule.hasPrefix("generic-"))
    }

    @Test func npmChecksumDecidesBetweenHighAndMedium() throws {
        var fakes = FakeCredentials()
        let valid = fakes.githubToken(prefix: "npm_")
        var invalid = valid
        invalid.removeLast()
        invalid.append(valid.last == "A" ? "B" : "A")
        #expect(try #require(scan("NPM_TOKEN=\(valid)\n").first).confidence == .high)
        let failed = try #require(scan("NPM_TOKEN=\(invalid)\n").first)
        #expect(failed.rule == "npm-token" && failed.confidence == .medium)
    }

    // MARK: Generic detection

    @Test(arguments: [
        "PAYMENTS_API_KEY=Hk4vT9mQ2xL7pR3wZ8nBq5Yc",
        "  acme_token: \"Vq3Lm8Tk2Xz7Pw4Rn9HbK2Jd\"",
        "{\"upstreamSecret\": \"Pw7Kd2Xq9Lm4Tz8Rv3NhB6\"}",
        "export DB_PASSWORD='hT6v^Qm2Kx9pR4wZ*Ls7'",
        "SMTP_PASSWORD ?= Vm7Qx2Kr9Tz4Lp8W",
        "warehouse SECRET Vb3nKq8Xr2Tm7Lz4Wp9Hc",
        "BACKUP_CREDENTIALS=Nq7Kx2Rm9Tz4Wv8Lp3Hb6Yc",
    ])
    func genericAssignmentsOfRandomValuesAreFound(_ line: String) {
        let findings = scan(line + "\n")
        #expect(findings.count == 1, "\(line): \(findings.map(\.rule))")
        #expect(findings.allSatisfy { $0.confidence == .low && $0.rule.hasPrefix("generic-") })
    }

    @Test(arguments: [
        "API_KEY=${API_KEY}",
        "password: \"changeme123\"",
        "token_url: https://auth.example.org/oauth/token",
        "the token expires after thirty minutes of inactivity",
        "// passing `NID_hmacWithSHA256` selects the PRF",
        "repo: https://${{ secrets.BOT_GITHUB_TOKEN }}@github.com/acme/corpora.git",
        "password: ENC[AES256_GCM,data:O+5l4g==,iv:c/dS4BCBMbnKsXYu,type:str]",
        "export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ])
    func placeholdersReferencesAndProseAreNot(_ line: String) {
        #expect(scan(line + "\n").isEmpty, "\(line)")
    }

    @Test func genericFindingsStayOutOfExampleFiles() {
        let line = "PAYMENTS_API_KEY=Hk4vT9mQ2xL7pR3wZ8nBq5Yc\n"
        #expect(scan(line, path: ".env").count == 1)
        #expect(scan(line, path: "docs/setup.env").isEmpty)
    }

    // MARK: Encodings

    @Test func utf16TextIsDecodedAndScanned() throws {
        var fakes = FakeCredentials()
        let key = fakes.stripeLiveKey()
        let plain = try #require(scan("STRIPE=\(key)\n").first)
        let line = "$stripe = \"\(key)\"\r\n"
        var littleWithMark: [UInt8] = [0xFF, 0xFE]
        var bigWithoutMark = [UInt8]()
        for unit in line.utf16 {
            littleWithMark += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bigWithoutMark += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        for bytes in [littleWithMark, bigWithoutMark] {
            let found = try #require(scan(bytes, path: "deploy.ps1").first)
            #expect(found.fingerprint == plain.fingerprint && found.line == 1 && found.column == 12)
        }
    }

    @Test func encodedRunsAreDecodedAndGroupWithPlainCopies() throws {
        var fakes = FakeCredentials()
        let key = fakes.stripeLiveKey()
        let plain = try #require(scan("STRIPE=\(key)\n").first).fingerprint
        let json = "{\"stripe\": \"\(key)\"}"
        let base64 = "APP_CONFIG=" + Data(json.utf8).base64EncodedString() + "\n"
        let hex = "blob = " + Array("key=\(key)".utf8).map { String(format: "%02x", $0) }.joined() + "\n"
        let percent = "https://x.example.com/cb?state=" + json.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "\n"
        // Nested: base64 of a JSON document whose value is itself base64 of a config line.
        let inner = Data("STRIPE_KEY=\(key)\n".utf8).base64EncodedString()
        let nested = "BUNDLE=" + Data("{\"env\": \"\(inner)\"}".utf8).base64EncodedString() + "\n"
        for (text, encoding) in [(base64, "base64"), (hex, "hex"), (percent, "percent"), (nested, "base64")] {
            let found = scan(text)
            #expect(found.count == 1, "\(encoding): \(found.map(\.rule))")
            #expect(found.first?.fingerprint == plain && found.first?.decoded == encoding, "\(encoding)")
        }
    }

    @Test func binaryLookingRunsStayRaw() {
        // A random base64 value decodes to bytes, not text: it is scanned as written.
        var fakes = FakeCredentials()
        let secret = fakes.awsSecretKey()
        let found = scan("aws_secret_access_key = \(secret)\n")
        #expect(found.map(\.rule) == ["aws-secret-access-key"])
        #expect(found.first?.decoded == nil)
    }

    @Test func kubernetesSecretValuesAreCredentials() throws {
        let manifest = """
            apiVersion: "v1"
            kind: 'secret'
            metadata:
            \tname: orders-db
            data:
            \tdb-password: \(Data("Zr8kQ2mvX5pL9wT4".utf8).base64EncodedString())
            \ttemplated: {{ .Values.password | b64enc }}
            stringData:
              ADMIN_TOKEN: Lm4Tq9Xk2Vz7Rp3Wn8Hc
            """
        let found = scan(manifest, path: "k8s/secret.yaml")
        #expect(found.map(\.rule) == ["kubernetes-secret-value", "kubernetes-secret-value"], "\(found.map(\.rule))")
        #expect(found.first?.secret == "Zr8kQ2mvX5pL9wT4")
        #expect(found.last?.secret == "Lm4Tq9Xk2Vz7Rp3Wn8Hc")
        let configMap = manifest.replacingOccurrences(of: "kind: 'secret'", with: "kind: ConfigMap")
        #expect(scan(configMap, path: "k8s/config.yaml").filter { $0.rule == "kubernetes-secret-value" }.isEmpty)
    }

    // MARK: Credentials that are files

    @Test(arguments: [("fake-client.p12", "pkcs12-keystore"), ("fake-signing.jks", "java-keystore")])
    func keystoresAreCertificateCredentials(file: String, rule: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../testdata/keystores/\(file)")
        let bytes = Array(try Data(contentsOf: url.standardizedFileURL))
        let found = scan(bytes, path: "certs/\(file)")
        #expect(found.count == 1)
        #expect(found.first?.rule == rule && found.first?.kind == .certificate && found.first?.confidence == .high)
        #expect(found.first?.fingerprint == Fingerprinter().fingerprint(of: bytes))
        // Renamed, it is still recognised by its header.
        #expect(scan(bytes, path: "blob.bin").first?.rule == rule)
        // Without its header it is not a keystore.
        #expect(scan([0x00] + Array(bytes.dropFirst()), path: "blob.bin").allSatisfy { $0.rule != rule })
    }

    @Test func netrcGitCredentialsAndPgpass() {
        var fakes = FakeCredentials()
        let password = fakes.alphanumeric(20)
        #expect(scan("machine api.internal.example login deploy password \(password)\n", path: ".netrc").first?.secret == password)
        #expect(scan("https://deploy:\(password)@git.internal.example\n", path: ".git-credentials").first?.secret == password)
        #expect(scan("db.internal.example:5432:billing:billing_rw:\(password)\n", path: ".pgpass").first?.secret == password)
    }
}
