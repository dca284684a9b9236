import Foundation

/// Scans of git data rather than files: a repository's history (all of it, a range, or since a
/// ref) and the staged index of a pre-commit hook.
public enum GitScan {
    /// The secrets the selected commits introduced, each attributed to the commit that put it at
    /// a path. For a range (`.range`, `.since`), a secret already present in the version of the
    /// file the commit replaced is not reported: the range did not introduce it.
    ///
    /// Findings carry `repository`'s name and paths relative to the scanned root (its prefix), so
    /// a sweep's history targets need no re-homing afterwards.
    public static func history(of repository: Repository, selection: GitHistorySource.Selection, configuration: ScanConfiguration,
                               matcher: SignatureMatcher, fingerprinter: Fingerprinter = Fingerprinter()) throws(GitError) -> ScanResult {
        let git = GitCommand(repository: repository.directory)
        let source = GitHistorySource(git: git)
        // The object listing does not depend on the log: run both git processes at once.
        let listing = AsyncResult { () throws(GitError) in try source.blobsInPackOrder() }
        // Whether each finding is still in the code (HEAD): the evidence of history-only and
        // long-lived credentials. Only a whole history says when a credential first appeared.
        let current = isRange(selection) ? nil : AsyncResult { () throws(GitError) in source.currentTreeBlobs() }
        let introductions = try source.introductions(selection)
        var places = [String: [GitBlobScan.Place]]()
        var order = [String]()
        for introduction in introductions {
            if places[introduction.blob] == nil { order.append(introduction.blob) }
            places[introduction.blob, default: []].append(GitBlobScan.Place(
                path: introduction.path, commit: introduction.commit, author: introduction.author, date: introduction.date,
                replaced: isRange(selection) ? introduction.previous : nil))
        }
        let items = try listing.value().compactMap { blob in
            places[blob.id].map { GitBlobScan.Item(id: blob.id, size: blob.size, places: $0) }
        }
        var lost = [String]()
        if items.count < places.count {
            let listed = Set(items.map(\.id))
            lost = order.filter { !listed.contains($0) }
            if !isPartialClone(git), let first = lost.first, let place = places[first]?.first {
                throw unreadable(first, at: place.path, commit: place.commit, in: git)
            }
        }
        var result = try GitBlobScan.run(items, git: git, repository: repository, source: "git", configuration: configuration,
                                         matcher: matcher, fingerprinter: fingerprinter)
        for id in lost { for place in places[id] ?? [] { result.record(repository.pathFromRoot(place.path), .notFetched) } }
        if isRange(selection) { try dropInherited(&result, git: git, repository: repository, configuration: configuration, matcher: matcher, fingerprinter: fingerprinter) }
        if let current, let blobs = try current.value() {
            for index in result.findings.indices {
                result.findings[index].inCurrentTree = result.findings[index].blob.map(blobs.contains) ?? false
            }
        }
        return result
    }

    /// A blob the log names that the object store cannot produce: a damaged repository (a
    /// corrupt loose object, a truncated pack) is an error, never a silently skipped file.
    static func unreadable(_ id: String, at path: String, commit: String?, in git: GitCommand) -> GitError {
        GitError(repository: git.repository, command: "cat-file", message: "object \(id) (\(path)"
                    + (commit.map { " in commit \($0)" } ?? "") + ") is missing or corrupt; `git fsck` tells more")
    }

    /// A partial clone leaves blobs on its server until they are needed; their absence is expected.
    static func isPartialClone(_ git: GitCommand) -> Bool {
        // `remote.<name>.promisor` marks the remote that owes the blobs; newer clones also set
        // `extensions.partialClone`.
        let promisors = (try? git.output(["config", "--get-regexp", #"^(remote\..*\.promisor|extensions\.partialclone)$"#])) ?? Data()
        return String(decoding: promisors, as: UTF8.self).split(separator: "\n").contains { !$0.hasSuffix(" false") }
    }

    /// The repository a history scan of `path` reports.
    public static func repository(at path: String) -> Repository {
        Repository(name: Scanner.repositoryName(of: path), directory: path, prefix: "")
    }

    /// The repository whose index a staged scan of `path` reads: the working tree's top level.
    public static func stagedRepository(_ path: String) throws(GitError) -> Repository {
        let top = String(decoding: try GitCommand(repository: path).output(["rev-parse", "--show-toplevel"]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return repository(at: top)
    }

    static func isRange(_ selection: GitHistorySource.Selection) -> Bool {
        if case .all = selection { return false }
        return true
    }

    /// Removes findings whose credential was already in the blob the commit replaced.
    private static func dropInherited(_ result: inout ScanResult, git: GitCommand, repository: Repository,
                                      configuration: ScanConfiguration, matcher: SignatureMatcher,
                                      fingerprinter: Fingerprinter) throws(GitError) {
        let replaced = Array(Set(result.findings.compactMap(\.replacedBlob))).sorted()
        guard !replaced.isEmpty else { return }
        let sizes = try GitHistorySource(git: git).sizes(of: replaced)
        var before = Set<String>()
        for id in replaced {
            guard let size = sizes[id] else { throw unreadable(id, at: id, commit: nil, in: git) }
            let old = try GitBlobScan.run([.init(id: id, size: size, places: [.init(path: id)])], git: git, repository: repository,
                                          source: "git", configuration: configuration, matcher: matcher, fingerprinter: fingerprinter)
            for finding in old.findings { before.insert(id + " " + finding.fingerprint.description) }
        }
        result.findings.removeAll { finding in
            guard let replaced = finding.replacedBlob else { return false }
            return before.contains(replaced + " " + finding.fingerprint.description)
        }
    }

    /// What `git commit` would record: the staged blobs of added and modified files, with only the
    /// findings on lines the commit adds (a secret already committed elsewhere in the repository
    /// still blocks a commit that adds it to a new line).
    public static func staged(in repository: Repository, configuration: ScanConfiguration, matcher: SignatureMatcher,
                              fingerprinter: Fingerprinter = Fingerprinter()) throws(GitError) -> ScanResult {
        let top = repository.directory
        let git = GitCommand(repository: top)
        let base = (try? git.output(["rev-parse", "--verify", "-q", "HEAD"])) != nil
            ? "HEAD" : String(decoding: try git.output(["hash-object", "-t", "tree", "/dev/null"]), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        let raw = try git.output(["diff-index", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", base])
        var items = [GitBlobScan.Item]()
        var ids = [String]()
        let tokens = raw.split(separator: 0)
        var index = 0
        var staged = [(id: String, path: String)]()
        while index + 1 < tokens.count {
            let fields = tokens[index].dropFirst().split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            let filePath = PathBytes.string(tokens[index + 1])
            index += 2
            guard fields.count >= 5, !fields[4].hasPrefix("D"), fields[1] != "160000", fields[1] != "120000",
                  fields[3] != GitHistorySource.zeroID else { continue }
            staged.append((fields[3], filePath))
            ids.append(fields[3])
        }
        guard !staged.isEmpty else {
            var empty = ScanResult()
            empty.repositories[repository.name] = repository
            return empty
        }
        let sizes = try GitHistorySource(git: git).sizes(of: ids)
        for entry in staged {
            guard let size = sizes[entry.id] else { throw unreadable(entry.id, at: entry.path, commit: nil, in: git) }
            items.append(GitBlobScan.Item(id: entry.id, size: size, places: [.init(path: entry.path)]))
        }
        var result = try GitBlobScan.run(items, git: git, repository: repository, source: "index",
                                         configuration: configuration, matcher: matcher, fingerprinter: fingerprinter)
        let added = AddedLines.parse(try git.output(["diff", "--cached", "-U0", "--no-color", "--no-ext-diff", "--no-renames",
                                                     "--src-prefix=a/", "--dst-prefix=b/", base]))
        result.findings.removeAll { !(added[$0.path]?.contains($0.line) ?? false) }
        return result
    }
}

/// A value computed on another thread, for overlapping two waits on git.
final class AsyncResult<Value: Sendable>: @unchecked Sendable {
    // Safety: `result` is written once by the worker before `done` is signalled, read after waiting.
    private var result: Result<Value, GitError>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws(GitError) -> Value) {
        Thread.detachNewThread {
            do throws(GitError) { self.result = .success(try work()) } catch { self.result = .failure(error) }
            self.done.signal()
        }
    }

    func value() throws(GitError) -> Value {
        done.wait()
        return try result!.get()
    }
}

/// The lines a unified diff (`-U0`) adds, per new path.
enum AddedLines {
    static func parse(_ diff: Data) -> [String: IndexSet] {
        var result = [String: IndexSet]()
        var current: String?
        for rawLine in diff.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if rawLine.starts(with: "+++ ".utf8) {
                var name = String(decoding: rawLine.dropFirst(4), as: UTF8.self)
                if name.hasSuffix("\t") { name.removeLast() }
                if name.hasPrefix("\"") { name = unquote(name) }
                current = name.hasPrefix("b/") ? String(name.dropFirst(2)) : nil
            } else if rawLine.starts(with: "@@ ".utf8), let current {
                // @@ -a[,b] +c[,d] @@
                let text = String(decoding: rawLine, as: UTF8.self)
                guard let plus = text.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { continue }
                let parts = plus.dropFirst().split(separator: ",")
                guard let start = Int(parts[0]) else { continue }
                let count = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
                if count > 0 { result[current, default: IndexSet()].insert(integersIn: start..<(start + count)) }
            }
        }
        return result
    }

    /// Undoes git's C-style quoting of unusual paths: `"b/a\tb"`.
    static func unquote(_ quoted: String) -> String {
        var bytes = [UInt8]()
        let source = Array(quoted.utf8.dropFirst().dropLast())
        var index = 0
        while index < source.count {
            if source[index] == 0x5C, index + 1 < source.count {
                let next = source[index + 1]
                switch next {
                case UInt8(ascii: "t"): bytes.append(0x09); index += 2
                case UInt8(ascii: "n"): bytes.append(0x0A); index += 2
                case UInt8(ascii: "0")...UInt8(ascii: "3") where index + 3 < source.count:
                    let octal = String(decoding: source[(index + 1)...(index + 3)], as: UTF8.self)
                    bytes.append(UInt8(octal, radix: 8) ?? 0x3F); index += 4
                default: bytes.append(next); index += 2
                }
            } else {
                bytes.append(source[index]); index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
