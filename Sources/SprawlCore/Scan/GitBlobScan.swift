import Foundation

/// Scans blobs out of a git object store in parallel: each worker thread owns one
/// `git cat-file --batch` process and one `BlobScanner`, and scans its share of the blobs.
///
/// Each blob is read and matched once, however many paths or commits it appears under; its
/// findings are then copied to every place it was introduced.
public enum GitBlobScan {
    /// A blob to scan and every place to report its findings at.
    public struct Item: Sendable {
        public let id: String
        public let size: Int
        public let places: [Place]

        public init(id: String, size: Int, places: [Place]) {
            (self.id, self.size, self.places) = (id, size, places)
        }
    }

    /// One place a blob lives: a path, and for history the commit that put it there.
    public struct Place: Sendable {
        public let path: String
        public let commit: String?
        public let author: String?
        public let date: String?
        /// The blob this one replaced at `path` (range scans report only what is new).
        public let replaced: String?

        public init(path: String, commit: String? = nil, author: String? = nil, date: String? = nil, replaced: String? = nil) {
            (self.path, self.commit, self.author, self.date, self.replaced) = (path, commit, author, date, replaced)
        }
    }

    /// Scans `items` with `threads` workers; oversized and binary blobs are skipped and counted,
    /// like files.
    public static func run(_ items: [Item], git: GitCommand, repository: Repository, source: String,
                           configuration: ScanConfiguration, matcher: SignatureMatcher,
                           fingerprinter: Fingerprinter) throws(GitError) -> ScanResult {
        var result = ScanResult()
        result.repositories[repository.name] = repository
        var scannable = [Item]()
        for item in items {
            if item.size > configuration.maxFileSize {
                for place in item.places { result.record(place.path, .tooLarge) }
            } else {
                scannable.append(item)
            }
        }
        // Largest first, dealt round-robin: the shares come out even.
        scannable.sort { $0.size > $1.size }
        let workers = max(1, min(configuration.walk.threads, scannable.count))
        let shares = (0..<workers).map { worker in stride(from: worker, to: scannable.count, by: workers).map { scannable[$0] } }
        let outcomes = ThreadResults(count: workers)
        let group = DispatchGroup()
        for (index, share) in shares.enumerated() {
            group.enter()
            Thread.detachNewThread {
                outcomes.set(index, scan(share, git: git, repository: repository, source: source,
                                         configuration: configuration, matcher: matcher, fingerprinter: fingerprinter))
                group.leave()
            }
        }
        group.wait()
        for outcome in outcomes.values {
            switch outcome {
            case .success(let partial): result.merge(partial)
            case .failure(let error): throw error
            case nil: break
            }
        }
        result.normalize()
        return result
    }

    private static func scan(_ items: [Item], git: GitCommand, repository: Repository, source: String,
                             configuration: ScanConfiguration, matcher: SignatureMatcher,
                             fingerprinter: Fingerprinter) -> Result<ScanResult, GitError> {
        var result = ScanResult()
        guard !items.isEmpty else { return .success(result) }
        let reader: BlobReader
        do { reader = try BlobReader(git: git, ids: items.map(\.id)) } catch { return .failure(error) }
        let scanner = BlobScanner(matcher: matcher, fingerprinter: fingerprinter, keepsSecrets: configuration.showSecrets)
        var found = [Finding]()
        for item in items {
            guard let blob = reader.next(), let contents = blob.contents else {
                for place in item.places { result.record(place.path, .vanished) }
                continue
            }
            if contents.prefix(FileReader.sniffLength).contains(0) {
                for place in item.places { result.record(place.path, .binary) }
                continue
            }
            result.files += 1
            result.bytes += contents.count
            for place in item.places {
                found.removeAll(keepingCapacity: true)
                let path = repository.prefix.isEmpty ? place.path : repository.prefix + "/" + place.path
                contents.withUnsafeBytes {
                    scanner.scan($0, origin: .init(path: path, repository: repository.name, source: source), into: &found)
                }
                for var finding in found {
                    finding.commit = place.commit
                    finding.author = place.author
                    finding.date = place.date
                    finding.replacedBlob = place.replaced
                    result.findings.append(finding)
                }
            }
        }
        result.matchLimitErrors = scanner.scratch.limitErrors
        if scanner.suppressedInline > 0 { result.suppressed["inline"] = scanner.suppressedInline }
        return .success(result)
    }
}

/// One result slot per worker thread, each written by its thread before the group is left.
final class ThreadResults: @unchecked Sendable {
    // Safety: slot `i` is written only by worker `i`, and read only after DispatchGroup.wait().
    private(set) var values: [Result<ScanResult, GitError>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<ScanResult, GitError>) { values[index] = value }
}
