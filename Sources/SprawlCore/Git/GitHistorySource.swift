import Foundation

/// Every blob a repository's history introduced, each once, with every (path, commit) that
/// introduced it: the input of a history scan.
///
/// One `git log --raw` over the chosen commits (oldest first) lists, per commit, the blobs it
/// added or changed; the first commit that put a blob at a path is the one that introduced it
/// there. Blob contents are then read once each by `GitBlobScan` through `git cat-file --batch`.
/// Never `git log -p`: diffs are not needed to find what a commit added, and they cost far more.
public struct GitHistorySource: Sendable {
    public let git: GitCommand
    public init(git: GitCommand) { self.git = git }

    /// A blob introduced at one path by one commit; `previous` is the blob it replaced there.
    public struct Introduction: Sendable {
        public let blob: String
        public let previous: String?
        public let path: String
        public let commit: String
        public let author: String
        public let date: String
    }

    /// Which commits to read.
    public enum Selection: Sendable {
        /// Everything reachable from any ref.
        case all
        /// `BASE..HEAD`: the commits of a range (a pull request).
        case range(String)
        /// Commits reachable from HEAD but not from REF.
        case since(String)

        var revisions: [String] {
            switch self {
            case .all: return ["--all"]
            case .range(let range): return [range]
            case .since(let reference): return ["\(reference)..HEAD"]
            }
        }
    }

    static let zeroID = String(repeating: "0", count: 40)

    /// The introductions of the selected commits, oldest first.
    public func introductions(_ selection: Selection) throws(GitError) -> [Introduction] {
        // --diff-merges=first-parent: a merge lists what it brought onto its first parent, so a
        // blob only a merge wrote (an auto-merged file, a conflict resolution) is scanned too;
        // blobs its branch already introduced are deduplicated below.
        // Parsed as git writes it: the parsing overlaps git's tree diffs instead of following them.
        var parser = LogParser()
        try git.stream(["log", "--reverse", "--no-renames", "--raw", "--diff-merges=first-parent", "--no-abbrev", "-z", "--no-color",
                        "--format=%x01%H%x1f%an <%ae>%x1f%aI"] + selection.revisions + ["--"]) { parser.feed($0) }
        return parser.finish()
    }

    /// Parses a whole `git log --raw -z` output (see `LogParser`).
    static func parseLog(_ log: [UInt8]) -> [Introduction] {
        var parser = LogParser()
        log.withUnsafeBytes { parser.feed($0) }
        return parser.finish()
    }

    /// Parses `git log --raw -z` output in pieces as they arrive: NUL-separated tokens, each a
    /// commit header (`\x01` id `\x1f` author `\x1f` date), a raw entry (`:modes ids status`), or
    /// the path after a raw entry. Works on bytes: Foundation's `Data.split`, and then a `String`
    /// per field, made this the slowest step before a history scan could start.
    struct LogParser {
        private var result = [Introduction]()
        private var seen = Set<BlobAtPath>()
        private var commit = "", author = "", date = ""
        /// The raw entry whose path is the next token; nil fields when the entry adds nothing.
        private var pending: (blob: String, previous: String?)??
        /// The start of a token the last piece cut in two.
        private var carry = [UInt8]()

        private struct BlobAtPath: Hashable {
            let blob: String
            let path: String
        }

        mutating func feed(_ bytes: UnsafeRawBufferPointer) {
            var start = 0
            while start < bytes.count {
                guard let end = bytes[start...].firstIndex(of: 0) else {
                    carry.append(contentsOf: bytes[start...])
                    return
                }
                if carry.isEmpty {
                    token(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                } else {
                    carry.append(contentsOf: bytes[start..<end])
                    tokenFromCarry()
                }
                start = end + 1
            }
        }

        mutating func finish() -> [Introduction] {
            if !carry.isEmpty { tokenFromCarry() }
            return result
        }

        /// The token the pieces so far left in `carry`, now whole.
        private mutating func tokenFromCarry() {
            let whole = carry
            carry.removeAll(keepingCapacity: true)
            whole.withUnsafeBytes { token($0) }
        }

        private mutating func token(_ raw: UnsafeRawBufferPointer) {
            var bytes = raw[...]
            while bytes.first == 0x0A { bytes = bytes.dropFirst() }
            guard let first = bytes.first else { return }
            if let entry = pending {
                pending = nil
                guard let entry else { return }
                let path = PathBytes.string(bytes)
                guard seen.insert(BlobAtPath(blob: entry.blob, path: path)).inserted else { return }
                result.append(Introduction(blob: entry.blob, previous: entry.previous, path: path,
                                           commit: commit, author: author, date: date))
            } else if first == 0x01 {
                let parts = bytes.dropFirst().split(separator: 0x1F, maxSplits: 2, omittingEmptySubsequences: false)
                commit = parts.count > 0 ? String(decoding: parts[0], as: UTF8.self) : ""
                author = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
                date = parts.count > 2 ? String(decoding: parts[2], as: UTF8.self) : ""
            } else if first == UInt8(ascii: ":") {
                // old mode, new mode, old id, new id, status
                let fields = bytes.dropFirst().split(separator: 0x20, maxSplits: 5)
                guard fields.count >= 5 else {
                    pending = .some(nil)
                    return
                }
                let newMode = fields[1], oldID = fields[2], newID = fields[3]
                // Deletions add nothing; submodules (160000) and symbolic links (120000) are not files.
                if fields[4].first == UInt8(ascii: "D") || Self.isZero(newID) || newMode.elementsEqual("160000".utf8)
                    || newMode.elementsEqual("120000".utf8) {
                    pending = .some(nil)
                    return
                }
                pending = .some((String(decoding: newID, as: UTF8.self),
                                 Self.isZero(oldID) ? nil : String(decoding: oldID, as: UTF8.self)))
            }
        }

        private static func isZero(_ id: Slice<UnsafeRawBufferPointer>) -> Bool {
            !id.isEmpty && id.allSatisfy { $0 == UInt8(ascii: "0") }
        }
    }

    /// Sizes of the blobs among `ids`, in the order they are stored in the object store (pack
    /// order), which is the order in which `cat-file --batch` reads them fastest: neighbouring
    /// objects share delta bases and pages. One `cat-file --batch-all-objects --unordered` lists
    /// every object with its size; for a handful of ids (a staged commit), asking for each is cheaper.
    public func packOrderedSizes(of ids: [String]) throws(GitError) -> [(id: String, size: Int)] {
        guard !ids.isEmpty else { return [] }
        let wanted = Set(ids)
        let format = "--batch-check=%(objectname) %(objecttype) %(objectsize)"
        let output = ids.count < 256
            ? try git.output(["cat-file", format], input: Data(ids.map { $0 + "\n" }.joined().utf8))
            : try git.output(["cat-file", "--batch-all-objects", "--unordered", format])
        return Self.parseBatchCheck([UInt8](output), keeping: wanted)
    }

    /// Lines of "<id> <type> <size>": the blobs, optionally only those in `keeping`, in order.
    static func parseBatchCheck(_ bytes: [UInt8], keeping wanted: Set<String>?) -> [(id: String, size: Int)] {
        var result = [(id: String, size: Int)]()
        var seen = Set<String>()
        var index = 0
        while index < bytes.count {
            let lineStart = index
            while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            let line = bytes[lineStart..<index]
            index += 1
            guard let firstSpace = line.firstIndex(of: 0x20), let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20),
                  line[(firstSpace + 1)..<secondSpace].elementsEqual("blob".utf8) else { continue }
            let id = String(decoding: line[lineStart..<firstSpace], as: UTF8.self)
            guard wanted?.contains(id) ?? true, seen.insert(id).inserted,
                  let size = Int(String(decoding: line[(secondSpace + 1)...], as: UTF8.self)), size >= 0 else { continue }
            result.append((id, size))
        }
        return result
    }

    /// Every blob of the object store with its size, in pack order (see `packOrderedSizes`).
    public func blobsInPackOrder() throws(GitError) -> [(id: String, size: Int)] {
        let output = try git.output(["cat-file", "--batch-all-objects", "--unordered",
                                     "--batch-check=%(objectname) %(objecttype) %(objectsize)"])
        return Self.parseBatchCheck([UInt8](output), keeping: nil)
    }

    /// The blobs of the current tree (HEAD). A credential in one of them is still in the code; one
    /// only in other blobs is in history only. Nil when HEAD names no commit (an empty repository,
    /// or a bare clone whose HEAD points at a branch that was never pushed): then nothing can be
    /// said about presence, rather than everything being called deleted.
    public func currentTreeBlobs() -> Set<String>? {
        // One git process per repository: `ls-tree` itself fails when HEAD names no commit.
        guard let listing = try? git.output(["ls-tree", "-r", "-z", "--full-tree", "HEAD"]) else { return nil }
        return Self.parseTreeBlobs([UInt8](listing))
    }

    /// The blob ids of `ls-tree -z` entries (`<mode> blob <id>\t<path>`; submodules are commits).
    static func parseTreeBlobs(_ bytes: [UInt8]) -> Set<String> {
        var result = Set<String>()
        for entry in bytes.split(separator: 0) {
            guard let tab = entry.firstIndex(of: 0x09) else { continue }
            let fields = entry[entry.startIndex..<tab].split(separator: 0x20)
            guard fields.count == 3, fields[1].elementsEqual("blob".utf8) else { continue }
            result.insert(String(decoding: fields[2], as: UTF8.self))
        }
        return result
    }

    /// Sizes of the blobs among `ids`.
    public func sizes(of ids: [String]) throws(GitError) -> [String: Int] {
        Dictionary(try packOrderedSizes(of: ids).map { ($0.id, $0.size) }, uniquingKeysWith: { first, _ in first })
    }
}
