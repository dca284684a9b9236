import Foundation
import SprawlCore
import SprawlTestSupport
import Testing

/// Trees and repositories built to break a scanner: the scan completes, every file is scanned or
/// skipped with its true reason, and broken inputs fail with exit code 2 before anything is read.
@Suite struct RobustnessTests {
    /// Writes a file whose name is raw bytes (not necessarily UTF-8); returns its path's bytes.
    @discardableResult
    static func createRaw(in directory: String, name: [UInt8], contents: String) -> [UInt8] {
        let full = Array(directory.utf8) + [UInt8(ascii: "/")] + name
        let descriptor = (full + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        precondition(descriptor >= 0, "cannot create \(full)")
        let bytes = Array(contents.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        return full
    }

    /// The skipped files listed by `--verbose`, by path.
    static func skippedReasons(_ text: String) -> [String: String] {
        var result = [String: String]()
        for line in text.split(separator: "\n") where line.hasPrefix("  skipped ") {
            let rest = line.dropFirst("  skipped ".count)
            guard let colon = rest.firstIndex(of: ":") else { continue }
            result[String(rest[rest.index(colon, offsetBy: 2)...])] = String(rest[..<colon])
        }
        return result
    }

    @Test func hostileTreeIsScannedToCompletionWithEveryFileAccountedFor() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        let root = directory.path
        let stripe = fakes.stripeLiveKey(), github = fakes.githubToken(), slack = fakes.slackBotToken()
        // A secret behind a name that is not UTF-8 (Latin-1 é and a stray 0xFF).
        Self.createRaw(in: root, name: Array("caf".utf8) + [0xE9, UInt8(ascii: "-"), 0xFF] + Array(".env".utf8),
                       contents: "STRIPE_KEY=\(stripe)\n")
        // 1,000 nested directories with a secret at the bottom.
        let deep = (0..<1000).map { _ in "d" }.joined(separator: "/")
        directory.create(deep + "/config.env", contents: "GITHUB_TOKEN=\(github)\n")
        directory.create("empty.txt", contents: "")
        directory.create("ok.yaml", contents: "slack: \(slack)\n")
        // Symbolic links: a loop, a link to a directory above, a dangling link.
        directory.symlink("loop-a", to: "loop-b")
        directory.symlink("loop-b", to: "loop-a")
        directory.createDirectory("cycle")
        directory.symlink("cycle/up", to: "..")
        directory.symlink("dangling", to: "no-such-file")
        // A FIFO (reading it would block forever) and a socket.
        #expect(mkfifo(root + "/pipe", 0o644) == 0)
        let socketPath = root + "/sock"
        let socketDescriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        defer { close(socketDescriptor) }
        // A sparse 3 GiB file: skipped by size without reading a byte.
        let sparse = open(root + "/sparse.bin", O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(sparse, 3 << 30) == 0)
        close(sparse)
        // A file its owner cannot read (root can: then it is scanned).
        directory.create("locked.env", contents: "nothing here\n")
        chmod(root + "/locked.env", 0)
        defer { chmod(root + "/locked.env", 0o644) }

        let output = SprawlProcess.run(["scan", root, "--format", "json"])
        #expect(output.status == 1, "\(output.transcript)")
        let rules = Set(output.findings.compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["stripe-live-secret", "github-pat-classic", "slack-bot-token"]), "\(output.transcript)")
        // The non-UTF-8 name comes back byte for byte.
        let paths = output.findings.compactMap { $0["path"] as? String }
        let latin = try #require(paths.first { $0.hasSuffix(".env") && $0.hasPrefix("caf") })
        #expect(PathBytes.bytes(latin) == Array("caf".utf8) + [0xE9, UInt8(ascii: "-"), 0xFF] + Array(".env".utf8))
        #expect(paths.contains(deep + "/config.env"))

        let text = SprawlProcess.run(["scan", root, "--verbose", "--color", "never"])
        let skipped = Self.skippedReasons(text.stdout)
        #expect(skipped["loop-a"] == "symlink" && skipped["loop-b"] == "symlink" && skipped["dangling"] == "symlink"
                    && skipped["cycle/up"] == "symlink", "\(text.transcript)")
        #expect(skipped["pipe"] == "special" && skipped["sock"] == "special", "\(text.transcript)")
        #expect(skipped["sparse.bin"] == "too-large", "\(text.transcript)")
        if getuid() != 0 { #expect(skipped["locked.env"] == "unreadable", "\(text.transcript)") }
        // Every file is accounted for: scanned, or skipped for a reason.
        let scanned = try #require(output.summary["files"] as? Int)
        let skippedCount = (output.summary["skipped"] as? [String: Int] ?? [:]).values.reduce(0, +)
        let entries = ["caf.env", "config.env", "empty.txt", "ok.yaml", "locked.env", "loop-a", "loop-b", "cycle/up", "dangling",
                       "pipe", "sock", "sparse.bin"]
        #expect(scanned + skippedCount == entries.count, "\(output.transcript)")
        #expect(scanned == (getuid() == 0 ? 5 : 4), "\(output.transcript)")

        // Following links: the loops are detected, the dangling link has vanished, the cycle is not walked twice.
        let followed = SprawlProcess.run(["scan", root, "--follow", "--verbose", "--color", "never"])
        let reasons = Self.skippedReasons(followed.stdout)
        #expect(reasons["loop-a"] == "symlink-loop" && reasons["loop-b"] == "symlink-loop", "\(followed.transcript)")
        #expect(reasons["dangling"] == "vanished", "\(followed.transcript)")
        #expect(reasons["cycle/up"] == "symlink-loop", "\(followed.transcript)")
        #expect(followed.status == 1)
    }

    @Test func unreadableFileIsCountedEvenForRoot() throws {
        // /proc/self/mem is a regular file whose first page cannot be read (EIO) by anyone: an
        // unreadable file that root cannot bypass.
        let directory = TestDirectory()
        directory.symlink("mem", to: "/proc/self/mem")
        let output = SprawlProcess.run(["scan", directory.path, "--follow", "--verbose", "--color", "never"])
        #expect(output.status == 0, "\(output.transcript)")
        #expect(Self.skippedReasons(output.stdout)["mem"] == "unreadable", "\(output.transcript)")
    }

    @Test func nonUTF8NamesAreReportedLosslesslyInEveryFormat() throws {
        var fakes = FakeCredentials()
        let directory = TestDirectory()
        let name: [UInt8] = Array("k".utf8) + [0xC3, 0x28, 0x80] + Array("/".utf8)
        _ = directory.createDirectory("x")
        Self.createRaw(in: directory.path + "/x", name: Array(name.dropLast()), contents: "GITHUB_TOKEN=\(fakes.githubToken())\n")
        let json = SprawlProcess.run(["scan", directory.path, "--format", "json"])
        let path = try #require(json.findings.first?["path"] as? String, "\(json.transcript)")
        #expect(PathBytes.bytes(path) == Array("x/".utf8) + Array(name.dropLast()))
        let sarif = SprawlProcess.run(["scan", directory.path, "--format", "sarif"])
        #expect(sarif.stdout.contains("\"uri\" : \"x/k%C3%28%80\""), "\(sarif.transcript)")
        let text = SprawlProcess.run(["scan", directory.path, "--color", "never"])
        #expect(text.stdout.contains("x/k\\xC3(\\x80:1"), "\(text.transcript)")
    }

    @Test func malformedIgnoreFileFailsASweepBeforeScanning() {
        let sweep = TestDirectory()
        for name in ["alpha", "beta", "gamma"] {
            let repository = TestRepository(in: sweep, subdirectory: name)
            repository.write("app.env", "TOKEN=value\n")
            repository.commit("init")
        }
        sweep.create("beta/.sprawlignore", contents: "# known test keys\nfp1:not-a-fingerprint\n")
        let output = SprawlProcess.run(["sweep", sweep.path, "--format", "json"])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("beta/.sprawlignore:2: field fingerprint"), "\(output.transcript)")
        #expect(output.stdout.isEmpty, "no report: nothing was scanned")
    }

    @Test func malformedBaselineFailsBeforeScanning() {
        let directory = TestDirectory()
        directory.create("app.env", contents: "TOKEN=value\n")
        directory.create("baseline.json", contents: #"{"version": 1, "credentials": [{"fingerprint": "fp1:zz"}]}"#)
        let output = SprawlProcess.run(["scan", directory.path + "/app.env", "--baseline", directory.path + "/baseline.json"])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("credentials[0].fingerprint"), "\(output.transcript)")
    }

    @Test func corruptObjectFailsAHistoryScan() throws {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        repository.write("a.env", "A=1\n")
        repository.commit("one")
        repository.write("b.env", "GITHUB_TOKEN=\(fakes.githubToken())\n")
        repository.commit("two")
        let blob = repository.git("rev-parse", "HEAD:b.env").trimmingCharacters(in: .whitespacesAndNewlines)
        let object = repository.path + "/.git/objects/" + blob.prefix(2) + "/" + blob.dropFirst(2)
        chmod(object, 0o644)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: object))
        let output = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json"])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains(blob) && output.stderr.contains("b.env"), "\(output.transcript)")
    }

    @Test func gitThatDiesMidScanIsAnError() throws {
        var fakes = FakeCredentials()
        let repository = TestRepository()
        // Twelve blobs: each cat-file process is asked for several, so it dies with some unanswered.
        for index in 0..<12 {
            repository.write("f\(index).env", "GITHUB_TOKEN=\(fakes.githubToken())\n")
            repository.commit("c\(index)")
        }
        // A `git` that answers one blob of `cat-file --batch`, then dies the way a killed or
        // crashing git would: everything else is the real git.
        let bin = TestDirectory()
        let realGit = SprawlProcess.command(["bash", "-c", "command -v git"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        bin.create("git", contents: """
            #!/usr/bin/env bash
            for arg in "$@"; do
              if [ "$arg" = "--batch" ]; then
                read -r id && "\(realGit)" "$@" <<< "$id"
                echo "fatal: simulated failure after one object" >&2
                exit 128
              fi
            done
            exec "\(realGit)" "$@"
            """)
        chmod(bin.path + "/git", 0o755)
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let output = SprawlProcess.run(["scan", "--git", repository.path, "--format", "json", "--threads", "1"],
                                       environment: ["PATH": path])
        #expect(output.status == 2, "\(output.transcript)")
        #expect(output.stderr.contains("simulated failure after one object"), "\(output.transcript)")
    }

    @Test func partialCloneCountsBlobsItNeverFetched() {
        var fakes = FakeCredentials()
        let origin = TestRepository()
        origin.git("config", "uploadpack.allowFilter", "true")
        for index in 0..<3 {
            origin.write("f\(index).env", "GITHUB_TOKEN=\(fakes.githubToken())\n")
            origin.commit("c\(index)")
        }
        let clones = TestDirectory()
        let clone = clones.path + "/partial"
        _ = SprawlProcess.command(["git", "clone", "-q", "--filter=blob:none", "--no-checkout", "file://" + origin.path, clone])
        let output = SprawlProcess.run(["scan", "--git", clone, "--format", "json"])
        #expect(output.status == 0, "\(output.transcript)")
        #expect((output.summary["skipped"] as? [String: Int])?["not-fetched"] == 3, "\(output.transcript)")
    }
}
