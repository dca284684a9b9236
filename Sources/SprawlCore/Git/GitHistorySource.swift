import Foundation

/// Every blob a repository's history introduced, each once, with every (path, commit) that
/// introduced it: the input of a history scan.
///
/// One `git log --raw` over the chosen commits (oldest first) lists, per commit, the blobs it
/// added or changed; the first commit that put a blob at a path is the one that introduced it
/// there. Blob contents are then read once each by `GitBlobScan` through `git cat-file --batch`.
/// Never `git log -p`: diffs are not needed to find what a commit added, and they cost far more.
public struct GitHistorySource {
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
        let log = try git.output(["log", "--reverse", "--no-renames", "--raw", "--no-abbrev", "-z", "--no-color",
                                  "--format=%x01%H%x1f%an <%ae>%x1f%aI"] + selection.revisions + ["--"])
        var result = [Introduction]()
        var seen = Set<String>()
        var commit = "", author = "", date = ""
        var pendingRaw: [String]? = nil
        for token in log.split(separator: 0, omittingEmptySubsequences: true) {
            var bytes = token[...]
            while bytes.first == 0x0A { bytes = bytes.dropFirst() }
            if let raw = pendingRaw {
                pendingRaw = nil
                // The path of the raw entry before it.
                let path = String(decoding: bytes, as: UTF8.self)
                guard raw.count >= 5 else { continue }
                // raw: old mode, new mode, old id, new id, status
                let newMode = raw[1], oldID = raw[2], newID = raw[3]
                // Deletions add nothing; submodules (160000) and symbolic links (120000) are not files.
                guard !raw[4].hasPrefix("D"), newID != Self.zeroID, newMode != "160000", newMode != "120000" else { continue }
                guard seen.insert(newID + "\u{0}" + path).inserted else { continue }
                result.append(Introduction(blob: newID, previous: oldID == Self.zeroID ? nil : oldID, path: path,
                                           commit: commit, author: author, date: date))
                continue
            }
            if bytes.first == 0x01 {
                let fields = bytes.dropFirst().split(separator: 0x1F, omittingEmptySubsequences: false)
                commit = fields.count > 0 ? String(decoding: fields[0], as: UTF8.self) : ""
                author = fields.count > 1 ? String(decoding: fields[1], as: UTF8.self) : ""
                date = fields.count > 2 ? String(decoding: fields[2], as: UTF8.self) : ""
            } else if bytes.first == UInt8(ascii: ":") {
                pendingRaw = bytes.dropFirst().split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        return result
    }

    /// Sizes of `ids` (blobs only), from one `git cat-file --batch-check`.
    public func sizes(of ids: [String]) throws(GitError) -> [String: Int] {
        guard !ids.isEmpty else { return [:] }
        let output = try git.output(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                                    input: Data(ids.map { $0 + "\n" }.joined().utf8))
        var sizes = [String: Int]()
        for line in output.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20)
            guard fields.count == 3, fields[1].elementsEqual("blob".utf8),
                  let size = Int(String(decoding: fields[2], as: UTF8.self)) else { continue }
            sizes[String(decoding: fields[0], as: UTF8.self)] = size
        }
        return sizes
    }
}
