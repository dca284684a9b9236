import Foundation

/// The files of a commit's tree (by default HEAD), read from git's object store: how a bare clone,
/// which has no working tree, is scanned.
public struct GitTreeSource {
    public struct Entry {
        public let id: String
        public let size: Int
        public let path: String
    }

    public let git: GitCommand
    public init(git: GitCommand) { self.git = git }

    /// Every blob of `revision`'s tree (submodules and symbolic links excluded).
    public func entries(at revision: String = "HEAD") throws(GitError) -> [Entry] {
        Self.parseTree([UInt8](try git.output(["ls-tree", "-r", "-z", "-l", "--full-tree", revision])))
    }

    /// Records of `ls-tree -r -z -l`: `<mode> SP <type> SP <object> SP+ <size> TAB <path> NUL`.
    static func parseTree(_ listing: [UInt8]) -> [Entry] {
        var entries = [Entry]()
        for record in listing.split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let fields = record[record.startIndex..<tab].split(separator: 0x20)
            guard fields.count == 4, fields[1].elementsEqual("blob".utf8), !fields[0].elementsEqual("120000".utf8),
                  let size = Int(String(decoding: fields[3], as: UTF8.self)), size >= 0 else { continue }
            entries.append(Entry(id: String(decoding: fields[2], as: UTF8.self), size: size,
                                 path: PathBytes.string(record[(tab + 1)...])))
        }
        return entries
    }
}
