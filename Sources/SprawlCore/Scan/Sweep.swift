import Foundation

/// A sweep: every repository below a directory, scanned one after the other (each with all
/// cores), correlated together.
///
/// Repositories are found by walking directories: a directory holding `.git` is a working tree, a
/// directory holding `HEAD`, `objects/` and `refs/` is a bare clone (its HEAD tree is read from
/// git), and a top-level directory that is neither and holds no repository is taken as one
/// repository (source trees copied without history). Scanning them in turn keeps memory to one
/// repository's walk plus the findings so far, and makes progress exact.
public enum Sweep {
    public enum Kind: String, Sendable { case workingTree = "working-tree", bare, directory }

    public struct Target: Sendable {
        public let repository: Repository
        public let kind: Kind
        /// For a directory target: paths inside it (relative to the sweep root) scanned as targets
        /// of their own, or (for the root's loose files) every top-level directory.
        public var skippedPaths: Set<String> = []
    }

    /// Per-repository accounting for the report.
    public struct RepositorySummary: Sendable {
        public let name: String
        public let kind: Kind
        public var files: Int
        public var bytes: Int
        public var findings: Int
    }

    /// Finds the repositories below `root`, in path order.
    public static func discover(_ root: String) throws(ScanError) -> [Target] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ScanError(path: root, message: "not a directory")
        }
        if GitCommand.isRepository(root) {
            let kind: Kind = GitCommand.isBareRepository(root) && !FileManager.default.fileExists(atPath: root + "/.git") ? .bare : .workingTree
            return [Target(repository: Repository(name: Scanner.repositoryName(of: root), directory: root, prefix: ""), kind: kind)]
        }
        var targets = [Target]()
        let directories = children(of: root)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        if names.contains(where: { !directories.contains($0) }) {
            // Loose files in the sweep folder itself belong to no repository but are still scanned.
            var loose = Target(repository: Repository(name: Scanner.repositoryName(of: root), directory: root, prefix: ""),
                               kind: .directory)
            loose.skippedPaths = Set(directories)
            targets.append(loose)
        }
        for name in directories {
            let path = root + "/" + name
            var nested = [Target]()
            collect(path, relative: name, depth: 1, into: &nested)
            if nested.count == 1 && nested[0].repository.prefix == name {
                targets += nested
                continue
            }
            // A folder that is no repository: scanned as one, minus the repositories inside it.
            var folder = Target(repository: Repository(name: name, directory: path, prefix: name), kind: .directory)
            folder.skippedPaths = Set(nested.map(\.repository.prefix))
            targets.append(folder)
            targets += nested
        }
        return targets
    }

    private static func collect(_ path: String, relative: String, depth: Int, into targets: inout [Target]) {
        if FileManager.default.fileExists(atPath: path + "/.git") {
            targets.append(Target(repository: Repository(name: relative, directory: path, prefix: relative), kind: .workingTree))
            return
        }
        if GitCommand.isBareRepository(path) {
            targets.append(Target(repository: Repository(name: relative, directory: path, prefix: relative), kind: .bare))
            return
        }
        guard depth < 6 else { return }  // repositories sit near the top of a sweep folder
        for name in children(of: path) where !name.hasPrefix(".") || name == ".github" {
            collect(path + "/" + name, relative: relative + "/" + name, depth: depth + 1, into: &targets)
        }
    }

    /// Subdirectories (not followed through symbolic links), sorted.
    private static func children(of path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { Walker.kind(of: path + "/" + $0, followingLinks: false) == .directory }.sorted()
    }
}

extension Sweep {
    /// The targets of shard `index` of `count`: targets ordered by a hash of their repository's
    /// name, then dealt out in turn. The same repositories give the same shards on every machine
    /// and run, shard sizes differ by at most one, and every target is in exactly one shard.
    public static func shard(_ targets: [Target], index: Int, of count: Int) -> [Target] {
        precondition(count > 0 && (0..<count).contains(index), "shard \(index) of \(count)")
        let ordered = targets.sorted { lhs, rhs in
            let (a, b) = (shardKey(lhs.repository.name), shardKey(rhs.repository.name))
            return a != b ? a < b : lhs.repository.name < rhs.repository.name
        }
        return ordered.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    /// A hash of the name that does not depend on the process (Swift's `hashValue` is seeded).
    static func shardKey(_ name: String) -> String {
        var digest = SHA256()
        digest.update(Array(name.utf8))
        return digest.finalize().prefix(8).map { String($0, radix: 16) }.joined()
    }
}

/// How far a sweep has come, for the progress line.
public struct SweepProgress: Sendable {
    public let done: Int
    public let total: Int
    public let bytes: Int
    public let findings: Int
    public let current: String
}

extension Sweep {
    /// Scans every target and returns the combined result and one summary per target.
    ///
    /// Working trees and folders are walked together, in one parallel walk with one root each: a
    /// walk per repository left a core idle at the end of every small repository (1.27× the time
    /// of scanning the same tree as one directory, over 160 repositories). Memory is one walk's plus
    /// the findings. Git targets (bare clones; every repository with `history`) follow, one at a
    /// time, each with every core.
    public static func run(_ targets: [Target], configuration: ScanConfiguration, matcher: SignatureMatcher,
                           fingerprinter: Fingerprinter = Fingerprinter(), history: Bool = false,
                           progress: @escaping @Sendable (SweepProgress) -> Void = { _ in }) throws(GitError) -> (ScanResult, [RepositorySummary]) {
        var total = ScanResult()
        let walked = targets.filter { !history && $0.kind != .bare }
        let gitTargets = targets.filter { history ? $0.kind != .directory : $0.kind == .bare }
        let skippedFolders = targets.filter { history && $0.kind == .directory }
        let counter = ProgressCounter(total: walked.count + gitTargets.count)
        if !walked.isEmpty {
            var options = configuration.walk
            options.skippedPaths = walked.reduce(into: Set<String>()) { $0.formUnion($1.skippedPaths) }
            let roots = walked.map {
                WalkRoot(path: $0.repository.directory, relativePath: $0.repository.prefix, repository: $0.repository, isDirectory: true)
            }
            let names = walked.map(\.repository.name)
            progress(counter.snapshot(current: names.first ?? ""))
            total = Scanner.walk(roots, options: options, configuration: configuration, matcher: matcher,
                                 fingerprinter: fingerprinter) { root in
                progress(counter.complete(current: names[root]))
            }
        }
        for target in gitTargets {
            var result: ScanResult
            if history {
                result = try GitScan.history(of: target.repository, selection: .all, configuration: configuration,
                                             matcher: matcher, fingerprinter: fingerprinter)
            } else {
                let git = GitCommand(repository: target.repository.directory)
                let entries: [GitTreeSource.Entry]
                do {
                    entries = try GitTreeSource(git: git).entries()
                } catch {
                    // An empty bare clone (no HEAD commit yet) has nothing to scan; anything else is an error.
                    if (try? git.output(["rev-parse", "--verify", "-q", "HEAD"])) == nil { entries = [] } else { throw error }
                }
                result = try GitBlobScan.run(entries.map { .init(id: $0.id, size: $0.size, places: [.init(path: $0.path)]) },
                                             git: git, repository: target.repository, source: "git",
                                             configuration: configuration, matcher: matcher, fingerprinter: fingerprinter)
            }
            total.merge(result)
            progress(counter.complete(current: target.repository.name, bytes: result.bytes, findings: result.findings.count))
        }
        // The repositories scanned (with history, a folder without git is not one of them).
        let scanned = targets.filter { target in !skippedFolders.contains { $0.repository == target.repository } }
        for target in scanned { total.repositories[target.repository.name] = target.repository }
        let findingsByRepository = Dictionary(grouping: total.findings, by: \.repository).mapValues(\.count)
        let summaries = scanned.map { target in
            let tally = total.tallies[target.repository.name] ?? ScanResult.Tally()
            return RepositorySummary(name: target.repository.name, kind: target.kind, files: tally.files, bytes: tally.bytes,
                                     findings: findingsByRepository[target.repository.name] ?? 0)
        }
        total.normalize()
        // By name: the same order whether one sweep made them or a merge of shards.
        return (total, summaries.sorted { $0.name < $1.name })
    }
}

/// Counts finished repositories for the progress line; updated from walker threads.
final class ProgressCounter: @unchecked Sendable {
    // Safety: every field is read and written only while holding `lock`.
    private let lock = NSLock()
    private let total: Int
    private var done = 0
    private var bytes = 0
    private var findings = 0

    init(total: Int) { self.total = total }

    func snapshot(current: String) -> SweepProgress {
        lock.lock()
        defer { lock.unlock() }
        return SweepProgress(done: done, total: total, bytes: bytes, findings: findings, current: current)
    }

    func complete(current: String, bytes: Int = 0, findings: Int = 0) -> SweepProgress {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        self.bytes += bytes
        self.findings += findings
        return SweepProgress(done: done, total: total, bytes: self.bytes, findings: self.findings, current: done == total ? "" : current)
    }
}
