import Foundation
import SprawlTestSupport
import Testing
@testable import SprawlCore

@Suite struct ScannerTests {
    static let matcher = SignatureMatcher(signatures: (try? SignatureLoader.builtin()) ?? [])

    func scan(_ directory: TestDirectory, paths: [String]? = nil, threads: Int = 2, follow: Bool = false,
              maxFileSize: Int = ScanConfiguration.defaultMaxFileSize, exclude: [String] = []) throws -> ScanResult {
        var walk = WalkOptions(threads: threads)
        walk.followSymlinks = follow
        walk.exclude = exclude.map { Glob($0) }
        let configuration = ScanConfiguration(paths: paths ?? [directory.path], walk: walk, maxFileSize: maxFileSize)
        return try Scanner.run(configuration, matcher: Self.matcher, fingerprinter: Fingerprinter(key: .init(Array("k".utf8))))
    }

    @Test func lineAndColumnAfterMultiByteText() throws {
        var fakes = FakeCredentials()
        let token = fakes.githubToken()
        let directory = TestDirectory()
        directory.create("a.txt", contents: "first line\nünïcødé ✓ \(token)\n")
        let result = try scan(directory)
        let finding = try #require(result.findings.first)
        #expect(finding.path == "a.txt")
        #expect(finding.line == 2)
        #expect(finding.column == 11)
    }

    @Test func oddFilesAreSkippedAndCounted() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        directory.create("ok.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\n")
        directory.createBytes("binary.bin", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01] + Array(fakes.githubToken().utf8))
        directory.create("big.txt", contents: String(repeating: "a", count: 2000) + fakes.githubToken())
        directory.createBytes("invalid-utf8.txt", [0xFF, 0xFE, 0xC3] + Array(" \(fakes.githubToken())".utf8))
        directory.createDirectory("loop")
        directory.symlink("loop/self", to: directory.path + "/loop")
        let unreadable = directory.create("secret-unreadable.txt", contents: "x")
        chmod(unreadable, 0)
        let result = try scan(directory, maxFileSize: 1024)
        #expect(result.findings.map(\.path).sorted() == ["invalid-utf8.txt", "ok.env"])
        #expect(result.skipped[.binary] == 1)
        #expect(result.skipped[.tooLarge] == 1)
        #expect(result.skipped[.symlink] == 1)
        if getuid() != 0 { #expect(result.skipped[.unreadable] == 1) }
        let followed = try scan(directory, follow: true, maxFileSize: 1024)
        #expect(followed.skipped[.symlinkLoop] == 1)
    }

    @Test func namedBinaryFileIsScannedAnyway() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        let path = directory.createBytes("blob.bin", [0, 1, 2, 0x0A] + Array("x \(fakes.githubToken())".utf8))
        #expect(try scan(directory, paths: [path]).findings.count == 1)
        #expect(try scan(directory).findings.isEmpty)
    }

    @Test func sameResultWithOneThreadOrMany() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        for index in 0..<60 {
            directory.create("d\(index % 7)/sub\(index % 3)/f\(index).env", contents: "STRIPE_KEY=\(fakes.stripeLiveKey())\nTOKEN=\(fakes.githubToken())\n")
        }
        let one = try scan(directory, threads: 1)
        let many = try scan(directory, threads: 4)
        #expect(one.findings == many.findings)
        #expect(one.findings.count == 120)
        #expect(one.files == 60)
    }

    @Test func excludeGlobsSkipAndCount() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        directory.create("vendor/lib/a.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\n")
        directory.create("app/a.env", contents: "GITHUB_TOKEN=\(fakes.githubToken())\n")
        let result = try scan(directory, exclude: ["vendor"])
        #expect(result.findings.map(\.path) == ["app/a.env"])
        #expect(result.skipped[.excluded] == 1)
    }

    @Test func missingRootIsAnInputError() {
        let configuration = ScanConfiguration(paths: ["/nonexistent/sprawl-test"])
        #expect(throws: ScanError.self) { try Scanner.run(configuration, matcher: Self.matcher) }
    }

    @Test func oneCredentialInThreeEncodingsHasOneFingerprint() throws {
        var fakes = FakeCredentials()
        let password = "Zr8k" + fakes.alphanumeric(20) + "!#"
        let key = fakes.pemPrivateKey()
        let directory = TestDirectory()
        directory.create(".env", contents: "BILLING_DB_PASSWORD=\(password)\n")
        directory.create("k8s/secret.yaml", contents: """
            apiVersion: v1
            kind: Secret
            metadata:
              name: billing-db
            data:
              password: \(Data(password.utf8).base64EncodedString())
            """)
        directory.create("config/app.json", contents: "{\"db\": {\"password\": \"\(password)\"}}\n")
        directory.create("deploy/tls/server.key", contents: key)
        let escaped = key.replacingOccurrences(of: "\n", with: "\\n")
        directory.create("config/service-account.json", contents: "{\n  \"private_key\": \"\(escaped)\"\n}\n")
        let result = try scan(directory)
        let byPath = Dictionary(grouping: result.findings, by: \.path)
        let passwordPrints = Set([".env", "k8s/secret.yaml", "config/app.json"].compactMap { byPath[$0]?.first?.fingerprint })
        #expect(passwordPrints.count == 1, "\(result.findings.map { "\($0.path) \($0.rule) \($0.fingerprint)" })")
        #expect(byPath["k8s/secret.yaml"]?.first?.line == 6)
        #expect(byPath["k8s/secret.yaml"]?.first?.decoded == "base64")
        let keyPrints = Set(["deploy/tls/server.key", "config/service-account.json"].compactMap { byPath[$0]?.first?.fingerprint })
        #expect(keyPrints.count == 1, "\(result.findings.map { "\($0.path) \($0.rule)" })")
        #expect(byPath["config/service-account.json"]?.first?.line == 2)
    }
}
