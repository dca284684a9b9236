import Foundation

/// Everything a scan needs, validated before any file is opened.
public struct ScanConfiguration: Sendable {
    /// Paths to scan as the user gave them; empty means `.`.
    public var paths: [String]
    public var walk: WalkOptions
    /// Files larger than this are skipped and counted (`too-large`). 10 MiB by default: secrets
    /// live in configuration and source files, and the largest files in repositories are data,
    /// bundles and dumps whose scan would dominate a CI run.
    public var maxFileSize: Int
    /// Keep the plaintext secret in findings (`--show-secrets`).
    public var showSecrets: Bool
    /// Where workers count what they have done, for a progress line (nil: nobody is watching).
    public var progress: ScanProgress?
    /// History scans read git's packs themselves (`PackStore`); off, every blob comes through
    /// `git cat-file --batch`. Tests compare the two.
    public var readsPacks = true

    public static let defaultMaxFileSize = 10 * 1024 * 1024

    public init(paths: [String], walk: WalkOptions = WalkOptions(), maxFileSize: Int = defaultMaxFileSize,
                showSecrets: Bool = false) {
        self.paths = paths
        self.walk = walk
        self.maxFileSize = maxFileSize
        self.showSecrets = showSecrets
    }
}

/// What a scan produced: findings in report order and the accounting of what was read or skipped.
public struct ScanResult: Sendable {
    public var findings: [Finding] = []
    public var files = 0
    public var bytes = 0
    public var skipped: [SkipReason: Int] = [:]
    public var skippedFiles: [SkippedFile] = []
    /// Match attempts abandoned at PCRE2's match limit (pathological input); reported, never silent.
    public var matchLimitErrors = 0
    /// Work cut short at a bound, by bound (`regex-limit` is `matchLimitErrors`).
    public var limits: [WorkLimit: Int] = [:]
    /// Rules that could not be compiled during the scan (only unchecked rules can fail late).
    public var ruleErrors: [String] = []
    /// The repositories seen, by name.
    public var repositories: [String: Repository] = [:]
    /// Findings not reported, by what suppressed them (`inline`, `ignore-file`, `baseline`).
    public var suppressed: [String: Int] = [:]
    /// Files and bytes read per repository, for a sweep's per-repository summary.
    public var tallies: [String: Tally] = [:]

    public struct Tally: Sendable {
        public var files = 0
        public var bytes = 0
        mutating func add(_ other: Tally) {
            files += other.files
            bytes += other.bytes
        }
    }

    public init() {}

    public mutating func merge(_ other: ScanResult) {
        findings += other.findings
        files += other.files
        bytes += other.bytes
        skipped.merge(other.skipped, uniquingKeysWith: +)
        skippedFiles += other.skippedFiles
        matchLimitErrors += other.matchLimitErrors
        limits.merge(other.limits, uniquingKeysWith: +)
        ruleErrors += other.ruleErrors
        repositories.merge(other.repositories) { first, _ in first }
        suppressed.merge(other.suppressed, uniquingKeysWith: +)
        for (name, tally) in other.tallies { tallies[name, default: Tally()].add(tally) }
    }

    mutating func record(_ path: String, _ reason: SkipReason) {
        skipped[reason, default: 0] += 1
        skippedFiles.append(SkippedFile(path: path, reason: reason))
    }

    /// Sorts findings and skips so that the same input always gives the same report.
    public mutating func normalize() {
        findings.sort(by: Finding.reportOrder)
        skippedFiles.sort()
        ruleErrors = Array(Set(ruleErrors)).sorted()
    }
}

/// An input error: nothing was scanned (exit code 2).
public struct ScanError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// Wires the stages of a directory scan: walk → read → match → canonicalize → fingerprint.
///
/// The only type that knows them all. Each walker thread gets a `ScanVisitor` with its own read
/// buffer and `BlobScanner`; their results are merged once, after the threads join.
public enum Scanner {
    public static func run(_ configuration: ScanConfiguration, matcher: SignatureMatcher,
                           fingerprinter: Fingerprinter = Fingerprinter()) throws(ScanError) -> ScanResult {
        try walk(walkRoots(for: configuration), options: configuration.walk, configuration: configuration,
                 matcher: matcher, fingerprinter: fingerprinter)
    }

    /// Walks `roots` and scans every file; the shared core of `scan` and of each sweep target.
    static func walk(_ roots: [WalkRoot], options: WalkOptions, configuration: ScanConfiguration,
                     matcher: SignatureMatcher, fingerprinter: Fingerprinter,
                     rootCompleted: (@Sendable (Int) -> Void)? = nil) -> ScanResult {
        let walker = Walker(options: options)
        walker.rootCompleted = rootCompleted
        let visitors = walker.walk(roots) { _ in
            ScanVisitor(scanner: BlobScanner(matcher: matcher, fingerprinter: fingerprinter,
                                             keepsSecrets: configuration.showSecrets),
                        maxFileSize: configuration.maxFileSize, progress: configuration.progress)
        }
        var result = ScanResult()
        for visitor in visitors {
            visitor.result.matchLimitErrors = visitor.scanner.scratch.limitErrors
            visitor.result.limits = visitor.scanner.limits
            if visitor.scanner.suppressedInline > 0 { visitor.result.suppressed["inline"] = visitor.scanner.suppressedInline }
            visitor.result.ruleErrors = visitor.scanner.scratch.compileErrors.map(\.description)
            result.merge(visitor.result)
        }
        result.normalize()
        return result
    }

    /// The repositories a scan of `configuration` will report, known before any file is read.
    public static func repositories(for configuration: ScanConfiguration) throws(ScanError) -> [Repository] {
        try walkRoots(for: configuration).map(\.repository)
    }

    /// Resolves the user's paths into walk roots, failing on a path that does not exist.
    ///
    /// One directory: paths are relative to it. Several paths, or a file: paths as given.
    static func walkRoots(for configuration: ScanConfiguration) throws(ScanError) -> [WalkRoot] {
        let paths = configuration.paths.isEmpty ? ["."] : configuration.paths
        var roots = [WalkRoot]()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ScanError(path: path, message: "no such file or directory")
            }
            if isDirectory.boolValue, access(path, R_OK | X_OK) != 0 {
                throw ScanError(path: path, message: "permission denied")
            }
            let normalized = normalize(path)
            let single = paths.count == 1 && isDirectory.boolValue
            let directory = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
            let repository = single
                ? Repository(name: repositoryName(of: path), directory: path, prefix: "")
                : Repository(name: normalized, directory: directory.isEmpty ? "." : directory,
                             prefix: isDirectory.boolValue ? normalized : "")
            roots.append(WalkRoot(path: path, relativePath: single ? "" : normalized, repository: repository,
                                  isDirectory: isDirectory.boolValue))
        }
        return roots
    }

    /// `./a//b/` → `a/b`; `.` stays `.`.
    static func normalize(_ path: String) -> String {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        while components.first == "." && components.count > 1 { components.removeFirst() }
        let joined = components.joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The name a scanned root goes by as a repository: its directory name.
    static func repositoryName(of path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let name = (absolute as NSString).lastPathComponent
        return name.isEmpty || name == "/" ? "." : name
    }
}

/// One walker thread's scanning state: read buffer, blob scanner, and local results.
final class ScanVisitor: WalkVisitor {
    let scanner: BlobScanner
    var reader: FileReader
    var result = ScanResult()
    let progress: ScanProgress?

    init(scanner: BlobScanner, maxFileSize: Int, progress: ScanProgress?) {
        self.scanner = scanner
        self.reader = FileReader(maxFileSize: maxFileSize)
        self.progress = progress
    }

    func visit(_ entry: Result<WalkEntry, WalkSkip>) -> WalkState {
        switch entry {
        case .failure(let skip):
            record(skip.relativePath, skip.reason)
        case .success(let file):
            if !file.isExplicit && BinaryExtensions.isBinary(file.relativePath) {
                record(file.relativePath, .binary)
                return .proceed
            }
            switch reader.read(file.path, isExplicit: file.isExplicit) {
            case .skipped(let reason):
                record(file.relativePath, reason)
            case .read(let count):
                result.files += 1
                result.bytes += count
                result.repositories[file.repository.name] = file.repository
                result.tallies[file.repository.name, default: ScanResult.Tally()].add(ScanResult.Tally(files: 1, bytes: count))
                var origin = BlobScanner.Origin(path: file.relativePath, repository: file.repository.name, source: "file")
                origin.pathInRepository = file.repository.pathInside(file.relativePath)
                let before = result.findings.count
                reader.buffer.withUnsafeBytes { raw in
                    scanner.scan(UnsafeRawBufferPointer(rebasing: raw[0..<count]), origin: origin, into: &result.findings)
                }
                progress?.add(bytes: count, findings: result.findings.count - before)
            }
        }
        return .proceed
    }

    private func record(_ path: String, _ reason: SkipReason) { result.record(path, reason) }
}
