import Foundation
import SprawlTestSupport
import Testing
@testable import SprawlCore

/// History scans read blobs out of the packs themselves (`PackStore`); these tests hold that
/// reader to what `git cat-file --batch` gives.
@Suite struct PackStoreTests {
    static let matcher = SignatureMatcher(signatures: (try? SignatureLoader.builtin()) ?? [])

    /// A history of 300 files edited over five commits, packed by `git gc` (so most blob versions
    /// are deltas of their neighbours), then one more commit whose objects stay loose.
    static func repository() -> (TestRepository, [String]) {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        var secrets = [String]()
        for round in 0..<5 {
            for file in 0..<300 {
                var text = (0..<40).map { "let value\($0) = compute(\($0), \(file))  // shared line of the file \(file)" }
                text[file % 40] = "let edited = \(round * 1000 + file)"
                if file % 50 == round {
                    let token = fakes.githubToken()
                    secrets.append(token)
                    text.append("GITHUB_TOKEN=\(token)")
                }
                repository.write("src/File\(file).txt", text.joined(separator: "\n") + "\n")
            }
            repository.commit("round \(round)", date: "2026-0\(round + 1)-10T10:00:00Z")
        }
        repository.git("gc", "-q", "--aggressive")
        let loose = fakes.slackBotToken()
        secrets.append(loose)
        repository.write("late/.env", "SLACK_BOT_TOKEN=\(loose)\n")
        repository.commit("loose objects", date: "2026-07-01T10:00:00Z")
        return (repository, secrets)
    }

    static func history(_ path: String, readingPacks: Bool) throws -> ScanResult {
        var configuration = ScanConfiguration(paths: [path])
        configuration.readsPacks = readingPacks
        return try GitScan.history(of: GitScan.repository(at: path), selection: .all, configuration: configuration, matcher: matcher)
    }

    static func summary(_ result: ScanResult) -> [String] {
        result.findings.map { "\($0.path):\($0.line):\($0.column) \($0.rule) \($0.fingerprint) \($0.commit ?? "-")" }.sorted()
    }

    /// The packed blobs among the first (or last) 400 of the object store, read here and by git.
    static func compareBlobs(_ repository: TestRepository, fromTheEnd: Bool = false) throws -> Int {
        let git = GitCommand(repository: repository.path)
        let packs = try #require(PackStore.open(git))
        let reader = PackObjectReader(store: packs)
        var compared = 0
        let blobs = try GitHistorySource(git: git).blobsInPackOrder()
        for blob in fromTheEnd ? blobs.suffix(400) : blobs.prefix(400) {
            guard let location = packs.locate(blob.id) else { continue }
            let object = try reader.object(pack: location.pack, offset: location.offset)
            let expected = try git.output(["cat-file", "blob", blob.id])
            #expect(object.type == PackObjectReader.blobType && object.bytes == [UInt8](expected), "\(blob.id)")
            compared += 1
        }
        return compared
    }

    @Test func packsReadInPlaceGiveWhatGitGives() throws {
        let (repository, secrets) = Self.repository()
        let packs = try #require(PackStore.open(GitCommand(repository: repository.path)))
        #expect(!packs.packs.isEmpty)
        // Most versions are deltas: the reader resolves chains, not only whole objects.
        let stats = repository.git("verify-pack", "-s", packs.packs[0].path.replacingOccurrences(of: ".pack", with: ".idx"))
        #expect(stats.contains("chain length = 3"), "\(stats)")
        let direct = try Self.history(repository.path, readingPacks: true)
        let throughGit = try Self.history(repository.path, readingPacks: false)
        #expect(direct.files == throughGit.files && direct.bytes == throughGit.bytes && direct.files >= 1500)
        #expect(Self.summary(direct) == Self.summary(throughGit))
        #expect(Set(direct.findings.map(\.fingerprint)).count == secrets.count)
        // The last commit's blobs are loose: found through git, alongside the packed ones.
        #expect(direct.findings.contains { $0.path == "late/.env" })
    }

    @Test func everyBlobOfThePackReadsBackExactly() throws {
        let (repository, _) = Self.repository()
        #expect(try Self.compareBlobs(repository) >= 300)
        // Reference deltas (a base named by id, not by offset) and 64-bit offsets (written for
        // the objects in the second half of the pack, given that threshold) read the same.
        repository.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq")
        let directory = repository.path + "/.git/objects/pack"
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".pack") })
        let verify = repository.git("verify-pack", "-v", directory + "/" + pack.replacingOccurrences(of: ".pack", with: ".idx"))
        #expect(verify.contains("chain length"), "the repack made no deltas")
        #expect(try Self.compareBlobs(repository) >= 300)
        try FileManager.default.removeItem(atPath: directory + "/" + pack.replacingOccurrences(of: ".pack", with: ".idx"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: directory + "/" + pack)[.size] as? Int)
        repository.git("index-pack", "--index-version=2,\(size / 2)", directory + "/" + pack)
        let compared = try Self.compareBlobs(repository, fromTheEnd: true)
        #expect(compared >= 300, "\(compared) blobs compared")
    }

    @Test func anIndexOfAnotherPackIsNotUsed() throws {
        let (repository, _) = Self.repository()
        // The index's copy of the pack's checksum no longer matches: the pack is not read here,
        // and git refuses it too ("packfile does not match index"), so the scan is an error.
        let directory = repository.path + "/.git/objects/pack"
        let index = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".idx") })
        let path = directory + "/" + index
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 40] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(PackStore.open(GitCommand(repository: repository.path)) == nil)
        #expect(throws: GitError.self) { try Self.history(repository.path, readingPacks: true) }
    }

    @Test func aTruncatedPackIsAnErrorNotACrash() throws {
        let (repository, _) = Self.repository()
        let directory = repository.path + "/.git/objects/pack"
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasSuffix(".pack") })
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/" + pack))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size / 2)
        try handle.close()
        #expect(throws: GitError.self) { try Self.history(repository.path, readingPacks: true) }
    }

    @Test func deltasAreAppliedAndDamageIsReported() throws {
        let base = Array("The quick brown fox jumps over the lazy dog".utf8)
        // source size 43, target size 19: copy 10 bytes at 4, insert " cat.", copy 4 bytes at 0.
        let delta: [UInt8] = [43, 19, 0x91, 4, 10, 5] + Array(" cat.".utf8) + [0x90, 4]
        let result = try PackObjectReader.apply(delta, to: base, pack: "p", offset: 0)
        #expect(String(decoding: result, as: UTF8.self) == "quick brow cat.The ")
        let damaged: [[UInt8]] = [
            [],  // no sizes
            [44, 19, 0x91, 4, 10],  // wrong base size
            [43, 19, 0x91, 40, 10],  // copy past the base
            [43, 19, 0x91],  // truncated copy
            [43, 5, 9, 65],  // insert past the end of the delta
            [43, 2, 0],  // reserved instruction
            [43, 3, 1, 65],  // fewer bytes than announced
        ]
        for bytes in damaged {
            #expect(throws: PackError.self, "\(bytes)") { try PackObjectReader.apply(bytes, to: base, pack: "p", offset: 0) }
        }
    }
}
