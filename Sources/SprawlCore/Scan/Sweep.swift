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

/// How far a sweep has come, for the progress line.
public struct SweepProgress: Sendable {
    public let done: Int
    public let total: Int
    public let bytes: Int
    public let findings: Int
    public let current: String
}

extension Sweep {
    /// Scans every target in turn and returns the combined result and one summary per target.
    public static func run(_ targets: [Target], configuration: ScanConfiguration, matcher: SignatureMatcher,
                           fingerprinter: Fingerprinter = Fingerprinter(), history: Bool = false,
                           progress: (SweepProgress) -> Void = { _ in }) throws(GitError) -> (ScanResult, [RepositorySummary]) {
        var total = ScanResult()
        var summaries = [RepositorySummary]()
        for (index, target) in targets.enumerated() {
            progress(SweepProgress(done: index, total: targets.count, bytes: total.bytes, findings: total.findings.count,
                                   current: target.repository.name))
            var result: ScanResult
            switch target.kind {
            case .workingTree where history, .bare where history:
                result = try GitScan.history(of: target.repository.directory, selection: .all, configuration: configuration,
                                             matcher: matcher, fingerprinter: fingerprinter)
                result.rename(to: target.repository)
            case .workingTree, .directory:
                var options = configuration.walk
                options.skippedPaths = target.skippedPaths
                let root = WalkRoot(path: target.repository.directory, relativePath: target.repository.prefix,
                                    repository: target.repository, isDirectory: true)
                result = Scanner.walk([root], options: options, configuration: configuration, matcher: matcher,
                                      fingerprinter: fingerprinter)
            case .bare:
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
            summaries.append(RepositorySummary(name: target.repository.name, kind: target.kind, files: result.files,
                                               bytes: result.bytes, findings: result.findings.count))
            total.merge(result)
            total.repositories[target.repository.name] = target.repository
        }
        progress(SweepProgress(done: targets.count, total: targets.count, bytes: total.bytes, findings: total.findings.count,
                               current: ""))
        total.normalize()
        return (total, summaries)
    }
}
