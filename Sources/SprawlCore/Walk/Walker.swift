#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file the walker found (or the user named), for a visitor to read.
public struct WalkEntry: Sendable {
    /// The path to open.
    public let path: String
    /// The path relative to the scanned root, with `/` separators; what reports show.
    public let relativePath: String
    /// The repository the file belongs to (see `WalkOptions`).
    public let repository: Repository
    /// Named on the command line rather than discovered: scanned even when it looks binary.
    public let isExplicit: Bool
}

/// What a visitor tells the walker after each entry. Quitting is asynchronous: other threads
/// finish the entry they hold.
public enum WalkState { case proceed, quit }

/// What the walker could not turn into an entry: a skip, with the path, for the visitor to count.
public struct WalkSkip: Error, Sendable {
    public let relativePath: String
    public let reason: SkipReason
}

/// One worker's view of the walk; the walker makes one per thread and never shares it.
public protocol WalkVisitor: AnyObject {
    func visit(_ entry: Result<WalkEntry, WalkSkip>) -> WalkState
}

/// Settings of a walk. The defaults suit all three uses: a pre-commit run names few files, CI and
/// sweeps walk trees where symlinks are not followed (a link to `/` must not turn a repository scan
/// into a disk scan) and where `.git` directories are history, scanned only by `--git`.
public struct WalkOptions: Sendable {
    public var threads: Int
    public var followSymlinks = false
    public var include: [Glob] = []
    public var exclude: [Glob] = []
    /// Directory names never descended into.
    public var skippedDirectoryNames: Set<String> = [".git"]
    /// Directories (relative to the scanned root) not descended into because something else scans
    /// them: in a sweep, repositories nested in a folder that is scanned as a directory.
    public var skippedPaths: Set<String> = []
    /// In a sweep, every directory this many levels below the root is a repository of its own
    /// (1: each top-level folder); a directory holding `.git` is a repository at any depth.
    public var repositoryDepth: Int? = nil

    public init(threads: Int = WalkOptions.defaultThreads) { self.threads = threads }

    /// One thread per core, at most 16: past that the disk, not the CPU, is the limit.
    public static var defaultThreads: Int { max(1, min(16, ProcessInfo.processInfo.activeProcessorCount)) }
}

/// Walks directories in parallel, handing each file to the visitor of the thread that found it.
///
/// Shaped after ripgrep's parallel walker: every thread is both producer and consumer of one
/// shared LIFO stack of directories and files (depth-first keeps the stack, and so memory,
/// small), each thread owns its visitor (no locks on the scanning path), and the walk ends when
/// the stack is empty and no thread holds work that could refill it.
public final class Walker: @unchecked Sendable {
    // Safety (@unchecked Sendable): `stack`, `active`, `done`, `visitedDirectories` are only touched
    // while holding `condition`'s lock; `quit` is only read or written holding it too.
    private struct Item {
        let path: String
        let relativePath: String
        let repository: Repository
        let isDirectory: Bool
        let isExplicit: Bool
        let depth: Int
        /// Which root this item descends from, for telling when a root's walk is complete.
        let root: Int
    }

    private let options: WalkOptions
    private let condition = NSCondition()
    private var stack = [Item]()
    private var active = 0
    private var quit = false
    private var visitedDirectories = Set<FileIdentity>()
    /// Items pushed but not yet finished, per root; a root is complete when its count drops to 0.
    private var outstanding = [Int]()
    /// Called (on a walker thread, outside the lock) when every item below a root is finished.
    public var rootCompleted: (@Sendable (Int) -> Void)?

    struct FileIdentity: Hashable { let device: UInt64, inode: UInt64 }

    public init(options: WalkOptions) { self.options = options }

    /// Walks `roots`, making one visitor per thread with `makeVisitor(threadIndex)`, and returns
    /// the visitors once every thread has finished, for their results to be merged.
    ///
    /// A root that does not exist or cannot be read is reported to the first visitor as a skip;
    /// callers that must fail on it check roots before walking (`ScanConfiguration` does).
    public func walk<Visitor: WalkVisitor>(_ roots: [WalkRoot], makeVisitor: (Int) -> Visitor) -> [Visitor] {
        let visitors = (0..<max(1, options.threads)).map(makeVisitor)
        outstanding = Array(repeating: 1, count: roots.count)
        for (index, root) in roots.enumerated().reversed() {
            stack.append(Item(path: root.path, relativePath: root.relativePath, repository: root.repository,
                              isDirectory: root.isDirectory, isExplicit: !root.isDirectory, depth: 0, root: index))
            if root.isDirectory, let identity = Self.identity(of: root.path, followingLinks: true) {
                visitedDirectories.insert(identity)
            }
        }
        if visitors.count == 1 {
            run(visitor: visitors[0])
        } else {
            let group = DispatchGroup()
            for visitor in visitors {
                group.enter()
                let box = UncheckedBox(visitor as any WalkVisitor)
                let thread = Thread { [self] in
                    run(visitor: box.value)
                    group.leave()
                }
                thread.stackSize = 4 << 20
                thread.start()
            }
            group.wait()
        }
        return visitors
    }

    private func run(visitor: any WalkVisitor) {
        while let item = next() {
            var state = WalkState.proceed
            if item.isDirectory {
                let (children, skips) = list(item)
                for skip in skips where state == .proceed { state = visitor.visit(.failure(skip)) }
                finish(item, pushing: children, quitting: state == .quit)
            } else {
                state = visitor.visit(.success(WalkEntry(path: item.path, relativePath: item.relativePath,
                                                         repository: item.repository, isExplicit: item.isExplicit)))
                finish(item, pushing: [], quitting: state == .quit)
            }
        }
    }

    private func next() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if quit { return nil }
            if let item = stack.popLast() {
                active += 1
                return item
            }
            if active == 0 { return nil }
            condition.wait()
        }
    }

    private func finish(_ item: Item, pushing children: [Item], quitting: Bool) {
        condition.lock()
        // Reversed so that the first child in name order is popped first: a stable, natural order.
        stack.append(contentsOf: children.reversed())
        outstanding[item.root] += children.count - 1
        let completed = outstanding[item.root] == 0
        active -= 1
        if quitting { quit = true }
        condition.broadcast()
        condition.unlock()
        if completed { rootCompleted?(item.root) }
    }

    /// Lists one directory: files and subdirectories to push, and what was skipped in it.
    private func list(_ item: Item) -> ([Item], [WalkSkip]) {
        guard let directory = PathBytes.withCString(item.path, { opendir($0) }) else {
            let reason: SkipReason = errno == ENOENT ? .vanished : .unreadable
            return ([], [WalkSkip(relativePath: item.relativePath.isEmpty ? "." : item.relativePath, reason: reason)])
        }
        defer { closedir(directory) }
        var names = [(name: String, type: UInt8)]()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                PathBytes.string(raw.prefix(while: { $0 != 0 }))
            }
            if name == "." || name == ".." { continue }
            names.append((name, entry.pointee.d_type))
        }
        names.sort { $0.name < $1.name }
        var repository = item.repository
        if !item.relativePath.isEmpty,
           options.repositoryDepth == item.depth || names.contains(where: { $0.name == ".git" }) {
            repository = Repository(name: item.relativePath, directory: item.path, prefix: item.relativePath)
        }
        var children = [Item]()
        var skips = [WalkSkip]()
        for (name, type) in names {
            let path = item.path.hasSuffix("/") ? item.path + name : item.path + "/" + name
            let relative = item.relativePath.isEmpty ? name : item.relativePath + "/" + name
            var kind = Self.kind(fromDirentType: type)
            if kind == .unknown { kind = Self.kind(of: path, followingLinks: false) }
            if kind == .symlink {
                guard options.followSymlinks else {
                    skips.append(WalkSkip(relativePath: relative, reason: .symlink))
                    continue
                }
                kind = Self.kind(of: path, followingLinks: true)
                if kind == .missing {
                    skips.append(WalkSkip(relativePath: relative, reason: .vanished))
                    continue
                }
            }
            switch kind {
            case .directory:
                if options.skippedDirectoryNames.contains(name) || options.skippedPaths.contains(relative) { continue }
                if isExcluded(relative, isDirectory: true) {
                    skips.append(WalkSkip(relativePath: relative, reason: .excluded))
                    continue
                }
                if options.followSymlinks {
                    guard let identity = Self.identity(of: path, followingLinks: true), markVisited(identity) else {
                        skips.append(WalkSkip(relativePath: relative, reason: .symlinkLoop))
                        continue
                    }
                }
                children.append(Item(path: path, relativePath: relative, repository: repository, isDirectory: true,
                                     isExplicit: false, depth: item.depth + 1, root: item.root))
            case .regular:
                if isExcluded(relative, isDirectory: false) {
                    skips.append(WalkSkip(relativePath: relative, reason: .excluded))
                    continue
                }
                children.append(Item(path: path, relativePath: relative, repository: repository, isDirectory: false,
                                     isExplicit: false, depth: item.depth + 1, root: item.root))
            case .missing:
                skips.append(WalkSkip(relativePath: relative, reason: .vanished))
            case .loop:
                skips.append(WalkSkip(relativePath: relative, reason: .symlinkLoop))
            case .special, .symlink, .unknown:
                skips.append(WalkSkip(relativePath: relative, reason: .special))
            }
        }
        return (children, skips)
    }

    private func markVisited(_ identity: FileIdentity) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return visitedDirectories.insert(identity).inserted
    }

    func isExcluded(_ relativePath: String, isDirectory: Bool) -> Bool {
        if options.exclude.contains(where: { $0.matches(relativePath) }) { return true }
        // Includes select files; directories are always entered (an include may match below them).
        if !isDirectory && !options.include.isEmpty && !options.include.contains(where: { $0.matches(relativePath) }) {
            return true
        }
        return false
    }

    /// `loop`: a chain of symbolic links that never ends in a file (ELOOP).
    enum Kind { case regular, directory, symlink, special, missing, loop, unknown }

    static func kind(fromDirentType type: UInt8) -> Kind {
        switch Int32(type) {
        case Int32(DT_REG): return .regular
        case Int32(DT_DIR): return .directory
        case Int32(DT_LNK): return .symlink
        case Int32(DT_UNKNOWN): return .unknown
        default: return .special
        }
    }

    static func kind(of path: String, followingLinks: Bool) -> Kind {
        var info = stat()
        let result = PathBytes.withCString(path) { followingLinks ? stat($0, &info) : lstat($0, &info) }
        guard result == 0 else { return errno == ELOOP ? .loop : .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .special
        }
    }

    static func identity(of path: String, followingLinks: Bool) -> FileIdentity? {
        var info = stat()
        guard PathBytes.withCString(path, { followingLinks ? stat($0, &info) : lstat($0, &info) }) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// A starting point of a walk: a directory to descend or a file the user named.
public struct WalkRoot: Sendable {
    public let path: String
    public let relativePath: String
    public let repository: Repository
    public let isDirectory: Bool

    public init(path: String, relativePath: String, repository: Repository, isDirectory: Bool) {
        (self.path, self.relativePath, self.repository, self.isDirectory) = (path, relativePath, repository, isDirectory)
    }
}

/// A repository (or, outside git, the scanned root) that files belong to.
public struct Repository: Hashable, Sendable {
    /// What reports call it: its path relative to the scanned root, or the root's own name.
    public let name: String
    /// Where it is on disk.
    public let directory: String
    /// Its path relative to the scanned root ("" for the root itself): strip it from a file's
    /// relative path to get the path inside the repository.
    public let prefix: String

    public init(name: String, directory: String, prefix: String) {
        (self.name, self.directory, self.prefix) = (name, directory, prefix)
    }

    /// A path inside this repository as a path relative to the scanned root.
    public func pathFromRoot(_ pathInside: String) -> String {
        prefix.isEmpty ? pathInside : prefix + "/" + pathInside
    }

    /// `relativePath` (relative to the scanned root) as a path inside this repository.
    public func pathInside(_ relativePath: String) -> String {
        guard !prefix.isEmpty, relativePath.hasPrefix(prefix + "/") else { return relativePath }
        return String(relativePath.dropFirst(prefix.count + 1))
    }
}

/// Carries a non-Sendable value into the one thread that will own it.
struct UncheckedBox<Value>: @unchecked Sendable {
    // Safety: used only to move a visitor into the single thread that uses it from then on.
    let value: Value
    init(_ value: Value) { self.value = value }
}
