import Foundation
import Testing
@testable import SprawlCore

@Suite struct GitParsingTests {
    let blobA = String(repeating: "a", count: 40), blobB = String(repeating: "b", count: 40)
    let zero = String(repeating: "0", count: 40)

    /// The shape of `git log --raw -z --format=%x01%H%x1f%an <%ae>%x1f%aI`, oldest first.
    @Test func logIntroductionsKeepTheFirstCommitPerBlobAndPath() {
        var log = [UInt8]()
        func header(_ commit: String) { log += Array("\u{1}\(commit)\u{1F}Dev <d@e.x>\u{1F}2026-01-0\(commit.prefix(1))T00:00:00Z".utf8) + [0] }
        func raw(_ old: String, _ new: String, _ status: String, _ path: String, mode: String = "100644") {
            log += Array("\n:\(mode) \(mode) \(old) \(new) \(status)".utf8) + [0] + Array(path.utf8) + [0]
        }
        header("1111")
        raw(zero, blobA, "A", "app/.env")
        raw(zero, blobA, "A", "copy/.env")
        raw(zero, blobB, "A", "vendor/lib", mode: "160000")
        header("2222")
        raw(blobA, blobB, "M", "app/.env")
        raw(zero, blobA, "A", "path with space.env")
        header("3333")
        raw(blobB, zero, "D", "app/.env")
        raw(zero, blobA, "A", "app/.env")  // re-added later: not a new introduction of (blobA, app/.env)
        let introductions = GitHistorySource.parseLog(log)
        #expect(introductions.map { "\($0.blob.prefix(1)) \($0.path) \($0.commit)" } == [
            "a app/.env 1111", "a copy/.env 1111", "b app/.env 2222", "a path with space.env 2222",
        ])
        #expect(introductions[2].previous == blobA)
        #expect(introductions[0].previous == nil)
        #expect(introductions[0].author == "Dev <d@e.x>")
        // The log is parsed as git writes it: cut anywhere, even inside a token, it reads the same.
        for pieceSize in [1, 2, 7, 64] {
            var parser = GitHistorySource.LogParser()
            var offset = 0
            while offset < log.count {
                let end = min(log.count, offset + pieceSize)
                log[offset..<end].withUnsafeBytes { parser.feed($0) }
                offset = end
            }
            let streamed = parser.finish()
            #expect(streamed.map { "\($0.blob) \($0.path) \($0.commit) \($0.previous ?? "-") \($0.date)" }
                == introductions.map { "\($0.blob) \($0.path) \($0.commit) \($0.previous ?? "-") \($0.date)" }, "pieces of \(pieceSize)")
        }
    }

    @Test func addedLinesOfAZeroContextDiff() {
        let diff = """
            diff --git a/app/.env b/app/.env
            index 1111111..2222222 100644
            --- a/app/.env
            +++ b/app/.env
            @@ -1,0 +2,2 @@
            +A=1
            +B=2
            @@ -5 +7 @@
            -x
            +y
            diff --git a/gone.txt b/gone.txt
            deleted file mode 100644
            --- a/gone.txt
            +++ /dev/null
            @@ -1 +0,0 @@
            -bye
            diff --git "a/tab\\there.env" "b/tab\\there.env"
            new file mode 100644
            --- /dev/null
            +++ "b/tab\\there.env"
            @@ -0,0 +1 @@
            +T=1
            """
        let added = AddedLines.parse(Data(diff.utf8))
        #expect(added["app/.env"] == IndexSet([2, 3, 7]))
        #expect(added["gone.txt"] == nil)
        #expect(added["tab\there.env"] == IndexSet([1]))
    }
}
