import Foundation

/// A `.sprawlignore` file: credentials, rules and paths whose findings are not reported.
///
///     # one entry per line; '#' starts a comment
///     fp1:3f2a…            a credential, by fingerprint (never by value)
///     rule:generic-token   every finding of a rule
///     tests/fixtures/**    a path glob, relative to the repository (same syntax as --exclude)
///
/// Suppressed findings are counted in the report's summary, never silently dropped.
public struct IgnoreFile: Sendable {
    public var fingerprints: Set<Fingerprint> = []
    public var rules: Set<String> = []
    public var paths: [Glob] = []

    public static let fileName = ".sprawlignore"

    public init() {}

    /// Parses `text`; a malformed entry is an error naming the file and line.
    public init(text: String, file: String) throws(FieldError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let entry = line.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            if entry.hasPrefix("fp") && entry.contains(":") && !entry.contains("/") {
                guard let fingerprint = Fingerprint(parsing: entry) else {
                    throw FieldError(file: file, line: index + 1, field: "fingerprint",
                                     message: "malformed fingerprint (expected fp1: and 64 lower-case hex digits)")
                }
                fingerprints.insert(fingerprint)
            } else if entry.hasPrefix("rule:") {
                let rule = String(entry.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                guard SignatureLoader.isWellFormed(rule) else {
                    throw FieldError(file: file, line: index + 1, field: "rule", message: "malformed rule id '\(rule)'")
                }
                rules.insert(rule)
            } else {
                paths.append(Glob(entry))
            }
        }
    }

    /// Reads `path` if it exists (nil when it does not).
    public static func load(_ path: String) throws(FieldError) -> IgnoreFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try IgnoreFile(text: String(decoding: data, as: UTF8.self), file: path)
    }

    public mutating func merge(_ other: IgnoreFile) {
        fingerprints.formUnion(other.fingerprints)
        rules.formUnion(other.rules)
        paths += other.paths
    }

    /// Whether a finding is covered, given its path inside its repository.
    public func covers(_ finding: Finding, pathInRepository: String) -> Bool {
        fingerprints.contains(finding.fingerprint) || rules.contains(finding.rule)
            || paths.contains { $0.matches(pathInRepository) }
    }
}

/// A previous JSON report used as a baseline: credentials already in it are not reported again,
/// so only new ones fail a CI build. Keyed by fingerprint, not by line: moving a known credential
/// does not make it new, and a new copy of it is not new either (it is the same credential).
public struct Baseline: Sendable {
    public let fingerprints: Set<Fingerprint>

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let file: String
        public let message: String
        public var description: String { "\(file): \(message)" }
    }

    public init(fingerprints: Set<Fingerprint>) { self.fingerprints = fingerprints }

    public static func load(_ path: String) throws(LoadError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(file: path, message: "cannot read file") }
        return try Baseline(data: data, file: path)
    }

    /// Reads the fingerprints of a JSON report's credentials and findings.
    public init(data: Data, file path: String) throws(LoadError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["version"] as? Int == 1 else {
            throw LoadError(file: path, message: "not a sprawl JSON report (version 1)")
        }
        var prints = Set<Fingerprint>()
        for list in ["credentials", "findings"] {
            for (index, entry) in (object[list] as? [[String: Any]] ?? []).enumerated() {
                guard let text = entry["fingerprint"] as? String, let fingerprint = Fingerprint(parsing: text) else {
                    throw LoadError(file: path, message: "field \(list)[\(index)].fingerprint: missing or malformed fingerprint")
                }
                prints.insert(fingerprint)
            }
        }
        fingerprints = prints
    }
}

/// Applies ignore files and a baseline to a scan's findings, counting what each suppressed.
public struct Suppressor: Sendable {
    public var ignoreFiles: [String: IgnoreFile]
    public var baseline: Baseline?

    /// - Parameters:
    ///   - ignoreFiles: by repository name; the ignore file of the scanned root applies to all.
    public init(ignoreFiles: [String: IgnoreFile] = [:], baseline: Baseline? = nil) {
        self.ignoreFiles = ignoreFiles
        self.baseline = baseline
    }

    /// Reads `.sprawlignore` in each repository's directory, plus `extra` (an `--ignore-file`).
    /// Called before the scan reads any file, so a mistake in one fails the scan at its start.
    public static func loadIgnoreFiles(for repositories: [Repository], extra: String?) throws(FieldError) -> [String: IgnoreFile] {
        var shared = IgnoreFile()
        if let extra {
            guard let loaded = try IgnoreFile.load(extra) else {
                throw FieldError(file: extra, line: 0, field: "(file)", message: "cannot read ignore file")
            }
            shared = loaded
        }
        var result = [String: IgnoreFile]()
        for repository in repositories {
            var combined = shared
            if let own = try IgnoreFile.load(repository.directory + "/" + IgnoreFile.fileName) { combined.merge(own) }
            result[repository.name] = combined
        }
        return result
    }

    public func apply(to result: inout ScanResult) {
        var kept = [Finding]()
        kept.reserveCapacity(result.findings.count)
        for finding in result.findings {
            let repository = result.repositories[finding.repository]
            let inside = repository?.pathInside(finding.path) ?? finding.path
            if let ignore = ignoreFiles[finding.repository], ignore.covers(finding, pathInRepository: inside) {
                result.suppressed["ignore-file", default: 0] += 1
            } else if let baseline, baseline.fingerprints.contains(finding.fingerprint) {
                result.suppressed["baseline", default: 0] += 1
            } else {
                kept.append(finding)
            }
        }
        result.findings = kept
    }
}
