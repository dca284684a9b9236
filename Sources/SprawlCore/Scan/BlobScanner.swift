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
    private var decodeDepthCuts = 0, oversizedRuns = 0

    /// The work this scanner cut short, by bound (see `WorkLimit`).
    public var limits: [WorkLimit: Int] {
        let counts: [(WorkLimit, Int)] = [(.regexLimit, scratch.limitErrors), (.decodeDepth, decodeDepthCuts),
                                          (.encodedRunSize, oversizedRuns), (.tokenEnd, scratch.tokenEndCuts)]
        return Dictionary(uniqueKeysWithValues: counts.filter { $0.1 > 0 })
    }

    /// The inline marker: on the secret's line (in a comment), it suppresses that finding.
    static let allowMarker = Array("sprawl:allow".utf8)

    public init(matcher: SignatureMatcher, fingerprinter: Fingerprinter, keepsSecrets: Bool) {
        self.matcher = matcher
        self.fingerprinter = fingerprinter
        self.keepsSecrets = keepsSecrets
        self.scratch = MatcherScratch(for: matcher)
    }

    /// Where a blob came from — its provenance, carried unchanged from the source that read it
    /// to every finding made in it: path (relative to the scanned root), repository, source, and
    /// for history the commit that put it there.
    public struct Origin {
        /// Relative to the scanned root (what reports show).
        public var path: String
        /// The same file's path inside its repository: what its name says (a test, an
        /// environment, a CI file) is read from here, so a sweep's folder names do not leak in.
        public var pathInRepository: String
        public var repository: String
        public var source: String
        public var commit: String?
        public var author: String?
        public var date: String?
        /// For a range scan: the blob this one replaced at the same path.
        var replacedBlob: String?
        /// For history: the blob being scanned.
        var blob: String?

        public init(path: String, repository: String, source: String, commit: String? = nil, author: String? = nil,
                    date: String? = nil) {
            (self.path, self.repository, self.source) = (path, repository, source)
            (self.commit, self.author, self.date) = (commit, author, date)
            pathInRepository = path
        }

        /// Gives a finding made here this origin's provenance: one place for every kind of finding.
        func stamp(_ finding: inout Finding) {
            finding.commit = commit
            finding.author = author
            finding.date = date
            finding.replacedBlob = replacedBlob
            finding.blob = blob
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
        if let keystore = KeystoreFile.detect(buffer) {
            keystoreFindings(keystore, buffer, origins: origins, into: &findings)
            return
        }
        if buffer.count >= 2, buffer[0] == 0 || buffer[1] == 0 || buffer[0] >= 0xFE, let order = UTF16Text.byteOrder(of: buffer) {
            let text = UTF16Text.transcode(buffer, order)
            text.withUnsafeBytes { scanText($0, origins: origins, into: &findings) }
            return
        }
        scanText(buffer, origins: origins, into: &findings)
    }

    private func scanText(_ buffer: UnsafeRawBufferPointer, origins: some Collection<Origin>, into findings: inout [Finding]) {
        let places = origins.map(Place.init)
        // Generic findings are dropped in test, fixture and documentation paths: do not look for them there.
        let items = analyze(buffer, includingGeneric: places.contains { !$0.isNonProduction })
        guard !items.isEmpty else { return }
        for place in places { emit(items, in: buffer, at: place, into: &findings) }
    }

    /// An origin with the facts about its path that decide what is reported there.
    private struct Place {
        let origin: Origin
        let isMarkup: Bool
        let isSourceCode: Bool
        let isNonProduction: Bool
        /// An example or template to copy from (`.env.example`): a value typed into it is a
        /// placeholder. Asked only of typed generic values, so not worked out for every blob.
        var isExample: Bool { GenericContext.isExampleFile(origin.pathInRepository) }

        init(_ origin: Origin) {
            self.origin = origin
            isMarkup = BlobScanner.isMarkup(origin.pathInRepository)
            isSourceCode = GenericContext.isSourceCode(origin.pathInRepository)
            isNonProduction = GenericContext.isNonProduction(origin.pathInRepository)
        }
    }

    /// What a place's path and content say about its findings' context, worked out only for
    /// places that have findings (most files have none).
    private struct PlaceContext {
        let environment: Environment?
        let automation: Automation?
        let content: EnvironmentInContent

        init(_ buffer: UnsafeRawBufferPointer, path: String) {
            environment = Environment.of(path: path)
            automation = Automation.of(path: path)
            content = EnvironmentInContent(buffer, path: path)
        }

        /// What the content says (a manifest's namespace, a job's environment) is more specific
        /// than the file's name, which is more specific than its folders.
        func environment(atLine line: Int) -> Environment? { content.environment(atLine: line) ?? environment }
    }

    /// A match or decoded secret of the buffer, located, before any path-dependent decision.
    private struct Item {
        /// A raw match's secret range (canonicalized per origin: markup entities depend on the
        /// path), or the canonical secret found in a decoded value.
        enum Secret {
            case raw(Range<Int>, cap: Confidence?, isTyped: Bool)
            case decoded([UInt8], encoding: String)
        }

        let rule: Int
        let secret: Secret
        let line: Int
        let column: Int
        /// The quoted string the secret starts in, which decides which escapes are undone.
        let quote: Canonicalizer.QuoteContext
        /// The line carries the `sprawl:allow` marker.
        let isAllowed: Bool
        /// For generic rules: a quoted literal that does not read as words.
        let isAdmissibleInSource: Bool
    }

    /// Matches `buffer` and decodes its hidden values, in position order.
    private func analyze(_ buffer: UnsafeRawBufferPointer, includingGeneric: Bool) -> [Item] {
        matches.removeAll(keepingCapacity: true)
        matcher.scan(buffer, scratch: scratch, includingGeneric: includingGeneric, into: &matches)
        let encoded = EncodedValueDecoder.values(in: buffer, oversized: &oversizedRuns)
        guard !matches.isEmpty || !encoded.isEmpty else { return [] }
        // A decoded value speaks for its bytes: a raw match on the base64 text would fingerprint
        // the encoding, not the credential.
        var located = [(offset: Int, rule: Int, secret: Item.Secret)]()
        let (raw, decoded) = resolve(matches, encoded, depth: 0)
        for match in raw {
            located.append((match.secret.lowerBound, match.rule, .raw(match.secret, cap: match.confidenceCap, isTyped: match.isTyped)))
        }
        for (value, rule, canonical) in decoded {
            located.append((value.location.lowerBound, rule, .decoded(canonical, encoding: value.encoding)))
        }
        located.sort { $0.offset != $1.offset ? $0.offset < $1.offset : $0.rule < $1.rule }
        var positions = LinePositions(buffer)
        return located.map { item in
            let (line, column) = positions.position(of: item.offset)
            var isAdmissible = true
            if case .raw(let range, _, _) = item.secret { isAdmissible = Self.isAdmissibleInSource(buffer, range) }
            return Item(rule: item.rule, secret: item.secret, line: line, column: column, quote: positions.quote,
                        isAllowed: positions.currentLine(contains: Self.allowMarker), isAdmissibleInSource: isAdmissible)
        }
    }

    /// Appends the findings of `items` as found at `place`.
    private func emit(_ items: [Item], in buffer: UnsafeRawBufferPointer, at place: Place, into findings: inout [Finding]) {
        var context: PlaceContext?
        for item in items {
            let signature = matcher.signatures[item.rule]
            let canonical: [UInt8]
            var decoded: String?
            var confidence = signature.confidence
            switch item.secret {
            case .raw(let range, let cap, let isTyped):
                if let cap { confidence = min(confidence, cap) }
                if signature.isGeneric && (place.isNonProduction || place.isSourceCode && !item.isAdmissibleInSource
                                           || isTyped && (place.isSourceCode || place.isExample)) { continue }
                canonical = Canonicalizer.canonicalSecret(in: buffer, secret: range, encoding: signature.secretEncoding,
                                                          isMarkup: place.isMarkup, quote: item.quote)
            case .decoded(let secret, let encoding):
                canonical = secret
                decoded = encoding
            }
            guard !canonical.isEmpty else { continue }
            if item.isAllowed {
                suppressedInline += 1
                continue
            }
            let origin = place.origin
            var finding = Finding(
                rule: signature.id, kind: signature.kind, path: origin.path, repository: origin.repository,
                line: item.line, column: item.column, fingerprint: fingerprinter.fingerprint(of: canonical),
                redacted: Redaction.redact(canonical), source: origin.source, decoded: decoded,
                secret: keepsSecrets ? String(decoding: canonical, as: UTF8.self) : nil, confidence: confidence)
            origin.stamp(&finding)
            finding.subject = signature.subject
            if context == nil { context = PlaceContext(buffer, path: origin.pathInRepository) }
            finding.automation = context?.automation
            finding.environment = context?.environment(atLine: item.line)
            findings.append(finding)
        }
    }

    /// Matches in a decoded value's synthetic text (and in values encoded again inside it, such
    /// as a `.dockerconfigjson` entry holding docker auths), with their canonical secrets.
    private func decodedSecrets(in synthetic: [UInt8], depth: Int) -> [(Int, [UInt8])] {
        var result = [(Int, [UInt8])]()
        synthetic.withUnsafeBytes { buffer in
            var inner = [SignatureMatch]()
            matcher.scan(buffer, scratch: scratch, into: &inner)
            var nested = EncodedValueDecoder.values(in: buffer, oversized: &oversizedRuns)
            if depth >= Self.maximumDecodeDepth && !nested.isEmpty {
                decodeDepthCuts += 1
                nested = []
            }
            let (raw, decoded) = resolve(inner, nested, depth: depth + 1)
            for match in raw {
                result.append((match.rule, Canonicalizer.canonicalSecret(
                    in: buffer, secret: match.secret, encoding: matcher.signatures[match.rule].secretEncoding, isMarkup: false)))
            }
            result += decoded.map { ($0.rule, $0.canonical) }
        }
        return result
    }

    /// The secrets of specific rules in `text`, none if only generic rules match there.
    private func specificSecrets(in text: [UInt8], depth: Int) -> [(Int, [UInt8])] {
        let found = decodedSecrets(in: text, depth: depth)
        return found.contains { !matcher.signatures[$0.0].isGeneric } ? found.filter { !matcher.signatures[$0.0].isGeneric } : []
    }

    /// How deep encodings are undone (base64 of JSON holding base64 of a config line is 2).
    static let maximumDecodeDepth = 2

    /// Decides between the raw matches of a text and what its encoded values decode to:
    /// - an encoded run inside a token a specific rule recognised (a JWT's base64url parts, a key
    ///   whose body is base64) is part of that token: the raw match stands and the run is not decoded;
    /// - a Kubernetes or docker value always speaks for its bytes (its raw text is never the secret);
    /// - any other decoded run speaks for its bytes when something is found in it, replacing the raw
    ///   (generic) matches on it.
    private func resolve(_ matches: [SignatureMatch], _ encoded: [EncodedValueDecoder.Value], depth: Int)
        -> (raw: [SignatureMatch], decoded: [(value: EncodedValueDecoder.Value, rule: Int, canonical: [UInt8])]) {
        var speaking = [Range<Int>]()
        var decoded = [(value: EncodedValueDecoder.Value, rule: Int, canonical: [UInt8])]()
        let specific = OverlapIndex(matches.lazy.filter { !self.matcher.signatures[$0.rule].isGeneric }.map(\.secret))
        for value in encoded {
            if !value.isStructural && specific.overlapsAny(value.location) { continue }
            // A value that holds a credential of a specific format is that credential; otherwise
            // the named form lets the generic and Kubernetes rules read it by its name.
            var secrets = value.bare.map { specificSecrets(in: $0, depth: depth) } ?? []
            if secrets.isEmpty { secrets = decodedSecrets(in: value.synthetic, depth: depth) }
            if value.isStructural || !secrets.isEmpty { speaking.append(value.location) }
            decoded += secrets.map { (value, $0.0, $0.1) }
        }
        guard !speaking.isEmpty else { return (matches, decoded) }
        let spoken = OverlapIndex(speaking)
        return (matches.filter { !spoken.overlapsAny($0.secret) }, decoded)
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

/// Facts about the text before byte offsets asked in increasing order: 1-based line and column
/// (in Unicode scalars), whether the offset is inside a quoted string on its line, and whether its
/// line carries a marker.
///
/// One pass over the buffer serves every offset, so a single long line holding thousands of
/// matches costs its length once, not once per match.
struct LinePositions {
    private let buffer: UnsafeRawBufferPointer
    private var scanned = 0
    private var line = 1
    private var lineStart = 0
    private var column = 1
    private var inDouble = false, inSingle = false, escaped = false
    private var markerLine = -1, markerFound = false

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func position(of offset: Int) -> (line: Int, column: Int) {
        if offset < scanned {  // out of order: start again (rare; offsets are sorted)
            scanned = 0; line = 1; lineStart = 0; column = 1
            inDouble = false; inSingle = false; escaped = false
        }
        while scanned < offset {
            let byte = buffer[scanned]
            scanned += 1
            if byte == 0x0A {
                line += 1
                lineStart = scanned
                column = 1
                inDouble = false; inSingle = false; escaped = false
                continue
            }
            if byte & 0xC0 != 0x80 { column += 1 }
            // Unescaped quotes before the offset on its line, as the canonicalizer reads them.
            if escaped { escaped = false }
            else if byte == 0x5C && inDouble { escaped = true }
            else if byte == 0x22 && !inSingle { inDouble.toggle() }
            else if byte == 0x27 && !inDouble { inSingle.toggle() }
        }
        return (line, column)
    }

    /// The quoted string the last position asked for lies in, if any.
    var quote: Canonicalizer.QuoteContext { inDouble ? .double : inSingle ? .single : .none }

    /// Whether the line of the last position asked for contains `needle` (searched once per line).
    mutating func currentLine(contains needle: [UInt8]) -> Bool {
        if markerLine != lineStart {
            var end = lineStart
            while end < buffer.count && buffer[end] != 0x0A { end += 1 }
            markerFound = buffer[lineStart..<end].containsBytes(needle)
            markerLine = lineStart
        }
        return markerFound
    }
}
