/// Turns one blob's bytes into findings: match, decode hidden values, canonicalize, fingerprint,
/// locate, redact. Every source (directory walk, git history, staged index, stdin) goes through
/// this one type, so a secret is found the same way wherever it came from.
///
/// One per worker thread: it owns the matcher scratch and is not Sendable.
public final class BlobScanner {
    public let matcher: SignatureMatcher
    public let fingerprinter: Fingerprinter
    public let keepsSecrets: Bool
    let scratch: MatcherScratch
    private var matches = [SignatureMatch]()
    /// Findings dropped because their line carries the `sprawl:allow` marker.
    public private(set) var suppressedInline = 0

    /// The inline marker: on the secret's line (in a comment), it suppresses that finding.
    static let allowMarker = Array("sprawl:allow".utf8)

    public init(matcher: SignatureMatcher, fingerprinter: Fingerprinter, keepsSecrets: Bool) {
        self.matcher = matcher
        self.fingerprinter = fingerprinter
        self.keepsSecrets = keepsSecrets
        self.scratch = MatcherScratch(for: matcher)
    }

    /// Where a blob came from, as reports show it.
    public struct Origin {
        public var path: String
        public var repository: String
        public var source: String
        public init(path: String, repository: String, source: String) {
            (self.path, self.repository, self.source) = (path, repository, source)
        }
    }

    /// Scans `buffer` and appends its findings to `findings`.
    public func scan(_ buffer: UnsafeRawBufferPointer, origin: Origin, into findings: inout [Finding]) {
        scan(buffer, origins: CollectionOfOne(origin), into: &findings)
    }

    /// Scans `buffer` once and appends its findings at each of `origins` (a git blob that lives
    /// at several paths): matching is done once, the path-dependent steps (generic-rule context,
    /// markup entities) once per origin.
    public func scan(_ buffer: UnsafeRawBufferPointer, origins: some Collection<Origin>, into findings: inout [Finding]) {
        // Generic findings are dropped in test, fixture and documentation paths: do not look for them there.
        let needsGeneric = origins.contains { !GenericContext.isNonProduction($0.path) }
        let analysis = analyze(buffer, includingGeneric: needsGeneric)
        for origin in origins { emit(analysis, at: origin, into: &findings) }
    }

    /// What a blob holds, with everything that needs its bytes already computed, so that findings
    /// can be emitted after the bytes are gone: a history scan matches blobs while `git log` is
    /// still saying where they live.
    public struct Analysis: Sendable {
        struct Item: Sendable {
            let rule: Int
            let line: Int
            let column: Int
            /// The line carries the `sprawl:allow` marker.
            let isAllowed: Bool
            let canonical: [UInt8]
            /// The canonical secret if the file is markup (XML entities decoded), when different.
            let markupCanonical: [UInt8]?
            /// For generic rules: a quoted literal that does not read as words.
            let isAdmissibleInSource: Bool
            let decoded: String?
        }

        var items: [Item] = []
        public var isEmpty: Bool { items.isEmpty }
    }

    /// Matches `buffer` and decodes its hidden values; path-independent.
    public func analyze(_ buffer: UnsafeRawBufferPointer, includingGeneric: Bool = true) -> Analysis {
        matches.removeAll(keepingCapacity: true)
        matcher.scan(buffer, scratch: scratch, includingGeneric: includingGeneric, into: &matches)
        let encoded = EncodedValueDecoder.values(in: buffer)
        var analysis = Analysis()
        guard !matches.isEmpty || !encoded.isEmpty else { return analysis }
        // A decoded value speaks for its bytes: a raw match on the base64 text would fingerprint
        // the encoding, not the credential.
        let raw = encoded.isEmpty ? matches : matches.filter { match in
            !encoded.contains { $0.location.overlaps(match.secret) }
        }
        var located = [(offset: Int, rule: Int, canonical: [UInt8], markup: [UInt8]?, admissible: Bool, decoded: String?)]()
        for match in raw {
            let encoding = matcher.signatures[match.rule].secretEncoding
            let canonical = Canonicalizer.canonicalSecret(in: buffer, secret: match.secret, encoding: encoding, isMarkup: false)
            let markup = Canonicalizer.canonicalSecret(in: buffer, secret: match.secret, encoding: encoding, isMarkup: true)
            located.append((match.secret.lowerBound, match.rule, canonical, markup == canonical ? nil : markup,
                            Self.isAdmissibleInSource(buffer, match.secret), nil))
        }
        for value in encoded {
            for (rule, canonical) in decodedSecrets(in: value.synthetic, depth: 0) {
                located.append((value.location.lowerBound, rule, canonical, nil, true, "base64"))
            }
        }
        located.sort { $0.offset != $1.offset ? $0.offset < $1.offset : $0.rule < $1.rule }
        var positions = LinePositions(buffer)
        for item in located where !item.canonical.isEmpty {
            let (line, column) = positions.position(of: item.offset)
            analysis.items.append(Analysis.Item(
                rule: item.rule, line: line, column: column, isAllowed: positions.currentLine(contains: Self.allowMarker),
                canonical: item.canonical, markupCanonical: item.markup, isAdmissibleInSource: item.admissible,
                decoded: item.decoded))
        }
        return analysis
    }

    /// Appends the findings of an analysed blob found at `origin`.
    public func emit(_ analysis: Analysis, at origin: Origin, into findings: inout [Finding]) {
        guard !analysis.isEmpty else { return }
        let isMarkup = Self.isMarkup(origin.path)
        let isSourceCode = GenericContext.isSourceCode(origin.path)
        let isNonProduction = GenericContext.isNonProduction(origin.path)
        for item in analysis.items {
            let signature = matcher.signatures[item.rule]
            if signature.isGeneric && item.decoded == nil
                && (isNonProduction || isSourceCode && !item.isAdmissibleInSource) {
                continue
            }
            if item.isAllowed {
                suppressedInline += 1
                continue
            }
            let canonical = isMarkup ? item.markupCanonical ?? item.canonical : item.canonical
            findings.append(Finding(
                rule: signature.id, kind: signature.kind, path: origin.path, repository: origin.repository,
                line: item.line, column: item.column, fingerprint: fingerprinter.fingerprint(of: canonical),
                redacted: Redaction.redact(canonical), source: origin.source, decoded: item.decoded,
                secret: keepsSecrets ? String(decoding: canonical, as: UTF8.self) : nil))
        }
    }

    /// Matches in a decoded value's synthetic text (and in values encoded again inside it, such
    /// as a `.dockerconfigjson` entry holding docker auths), with their canonical secrets.
    private func decodedSecrets(in synthetic: [UInt8], depth: Int) -> [(Int, [UInt8])] {
        var result = [(Int, [UInt8])]()
        synthetic.withUnsafeBytes { buffer in
            var inner = [SignatureMatch]()
            matcher.scan(buffer, scratch: scratch, into: &inner)
            let nested = depth < 2 ? EncodedValueDecoder.values(in: buffer) : []
            for match in inner where !nested.contains(where: { $0.location.overlaps(match.secret) }) {
                result.append((match.rule, Canonicalizer.canonicalSecret(
                    in: buffer, secret: match.secret, encoding: matcher.signatures[match.rule].secretEncoding, isMarkup: false)))
            }
            for value in nested { result += decodedSecrets(in: value.synthetic, depth: depth + 1) }
        }
        return result
    }

    /// In source code a generic match counts only as a quoted literal that does not read as words.
    static func isAdmissibleInSource(_ buffer: UnsafeRawBufferPointer, _ secret: Range<Int>) -> Bool {
        guard secret.lowerBound > 0 else { return false }
        let before = buffer[secret.lowerBound - 1]
        guard before == 0x22 || before == 0x27 || before == 0x60 else { return false }
        return !GenericContext.looksLikeWords(buffer[secret])
    }

    static let markupExtensions: Set<String> = [
        "xml", "config", "csproj", "vbproj", "fsproj", "props", "targets", "plist", "xaml", "xhtml", "html", "htm",
        "svg", "resx", "nuspec", "pom", "wsdl", "xsd", "jsp",
    ]

    static func isMarkup(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return markupExtensions.contains(path[path.index(after: dot)...].lowercased())
    }
}

/// 1-based line and column (in Unicode scalars) of byte offsets, asked in increasing order.
struct LinePositions {
    private let buffer: UnsafeRawBufferPointer
    private var scanned = 0
    private var line = 1
    private var lineStart = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func position(of offset: Int) -> (line: Int, column: Int) {
        if offset < scanned {  // out of order: start again (rare; offsets are sorted)
            scanned = 0; line = 1; lineStart = 0
        }
        while scanned < offset {
            if buffer[scanned] == 0x0A {
                line += 1
                lineStart = scanned + 1
            }
            scanned += 1
        }
        var column = 1
        for index in lineStart..<offset where buffer[index] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }

    /// Whether the line of the last position asked for contains `needle`.
    func currentLine(contains needle: [UInt8]) -> Bool {
        var end = lineStart
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        return buffer[lineStart..<end].containsBytes(needle)
    }
}
