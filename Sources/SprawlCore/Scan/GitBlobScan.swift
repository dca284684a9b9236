#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
                for place in item.places { result.record(repository.pathFromRoot(place.path), .tooLarge) }
            } else if item.places.allSatisfy({ BinaryExtensions.isBinary($0.path) }) {
                for place in item.places { result.record(repository.pathFromRoot(place.path), .binary) }
            } else {
                scannable.append(item)
            }
        }
        // Contiguous chunks of about equal bytes, in the order given (pack order for history), so
        // each git process reads neighbouring objects; workers take chunks as they finish the
        // last, because git's cost follows delta chains, not bytes, and fixed shares end unevenly.
        // Twelve per worker: with four, the last chunk left one core idle for a tenth of the scan
        // (history.git: 0.96x wall with twelve, no gain from 32); a chunk costs one git process.
        let workers = max(1, min(configuration.walk.threads, scannable.count))
        let chunkCount = min(scannable.count, workers * 12)
        let totalBytes = max(1, scannable.reduce(0) { $0 + $1.size })
        var chunks = [[Item]](repeating: [], count: max(1, chunkCount))
        var accumulated = 0
        for item in scannable {
            chunks[min(chunks.count - 1, accumulated * chunks.count / totalBytes)].append(item)
            accumulated += item.size
        }
        let queue = ChunkQueue(chunks.filter { !$0.isEmpty })
        let packs = configuration.readsPacks && scannable.count >= packThreshold ? PackStore.open(git) : nil
        configuration.progress?.expect(scannable.count)
        let outcomes = ThreadResults(count: workers)
        let group = DispatchGroup()
        for index in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                var partial = ScanResult()
                let scanner = BlobScanner(matcher: matcher, fingerprinter: fingerprinter, keepsSecrets: configuration.showSecrets)
                // One per worker, not per chunk: its cache of delta bases serves the next chunk too.
                let packReader = packs.map { PackObjectReader(store: $0) }
                while let chunk = queue.next() {
                    switch scan(chunk, git: git, packs: packReader, repository: repository, source: source, scanner: scanner,
                                progress: configuration.progress) {
                    case .success(let result): partial.merge(result)
                    case .failure(let error):
                        outcomes.set(index, .failure(error))
                        group.leave()
                        return
                    }
                }
                partial.matchLimitErrors = scanner.scratch.limitErrors
                partial.limits = scanner.limits
                if scanner.suppressedInline > 0 { partial.suppressed["inline"] = scanner.suppressedInline }
                outcomes.set(index, .success(partial))
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

    /// Fewer blobs than this (a staged commit) are not worth mapping the packs for.
    static let packThreshold = 256

    private static func scan(_ items: [Item], git: GitCommand, packs reader: PackObjectReader?, repository: Repository, source: String,
                             scanner: BlobScanner, progress: ScanProgress?) -> Result<ScanResult, GitError> {
        var result = ScanResult()
        guard !items.isEmpty else { return .success(result) }
        func scanBlob(_ item: Item, _ contents: UnsafeRawBufferPointer) {
            if FileReader.isBinary(contents) {
                for place in item.places { result.record(repository.pathFromRoot(place.path), .binary) }
                progress?.add(bytes: 0, findings: 0)
                return
            }
            result.files += 1
            result.bytes += contents.count
            result.tallies[repository.name, default: ScanResult.Tally()].add(ScanResult.Tally(files: 1, bytes: contents.count))
            let origins = item.places.map { place in
                var origin = BlobScanner.Origin(path: repository.pathFromRoot(place.path), repository: repository.name,
                                                source: source, commit: place.commit, author: place.author, date: place.date)
                origin.replacedBlob = place.replaced
                origin.blob = item.id
                origin.pathInRepository = place.path
                return origin
            }
            let before = result.findings.count
            scanner.scan(contents, origins: origins, into: &result.findings)
            progress?.add(bytes: contents.count, findings: result.findings.count - before)
        }
        // Blobs in the packs are read in place; the rest (loose objects, alternates) from git, and
        // so is any blob the packs do not give back exactly as git listed it (type and size): for
        // a damaged object git has the final say, as it may hold another copy.
        var fromGit = items
        if let reader {
            fromGit = []
            for item in items {
                guard let location = reader.store.locate(item.id),
                      let object = try? reader.object(pack: location.pack, offset: location.offset),
                      object.type == PackObjectReader.blobType, object.bytes.count == item.size else {
                    fromGit.append(item)
                    continue
                }
                object.bytes.withUnsafeBytes { scanBlob(item, $0) }
            }
        }
        guard !fromGit.isEmpty else { return .success(result) }
        let reader: BlobReader
        do { reader = try BlobReader(git: git, ids: fromGit.map(\.id)) } catch { return .failure(error) }
        for item in fromGit {
            var missing: String?
            let answered = reader.next { id, contents in
                guard let contents else {
                    missing = id
                    return
                }
                scanBlob(item, contents)
            }
            // Every id asked for came from git itself: an unanswered or missing one is a broken
            // repository or git process, an error rather than a skipped file.
            if let missing { return .failure(reader.missing(missing)) }
            if !answered { return .failure(reader.failure()) }
        }
        do { try reader.finish() } catch { return .failure(error) }
        return .success(result)
    }
}

/// Hands out chunks of work to worker threads, each chunk once.
final class ChunkQueue<Element>: @unchecked Sendable {
    // Safety: `chunks` and `position` are only touched while holding `lock`.
    private let lock = NSLock()
    private let chunks: [Element]
    private var position = 0

    init(_ chunks: [Element]) { self.chunks = chunks }

    func next() -> Element? {
        lock.lock()
        defer { lock.unlock() }
        guard position < chunks.count else { return nil }
        position += 1
        return chunks[position - 1]
    }
}

/// One result slot per worker thread, each written by its thread before the group is left.
final class ThreadResults: @unchecked Sendable {
    // Safety: slot `i` is written only by worker `i`, and read only after DispatchGroup.wait().
    private(set) var values: [Result<ScanResult, GitError>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<ScanResult, GitError>) { values[index] = value }
}
