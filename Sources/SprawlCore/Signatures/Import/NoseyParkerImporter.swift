/// Reads Nosey Parker and Kingfisher YAML rule files (`rules:` entries with `name`, `id`,
/// `pattern`) into sprawl signatures.
///
/// A file is taken for one of theirs when its first rule has no `kind` and an id with a dot
/// (`np.aws.1`, `kingfisher.aws.1`, `custom.acme.1`); sprawl ids have no dots. Supported:
/// `name`, `id`, `pattern`, `examples` (each must yield a secret), `negative_examples`,
/// `references`, `description`, `categories`, Kingfisher's `min_entropy`, `confidence`,
/// `visible: true`; `validation`, `revocation` and `tls_mode` only drive live checks, which
/// never change what is reported, so they are read past (documented). `keywords` may be added
/// where none can be derived from the pattern. `visible: false`, `depends_on_rule` and
/// `pattern_requirements` change what is reported and are errors.
enum NoseyParkerImporter {
    static let fields: Set<String> = [
        "name", "id", "pattern", "examples", "negative_examples", "references", "description", "categories", "keywords",
        "min_entropy", "confidence", "visible", "validation", "revocation", "tls_mode", "depends_on_rule",
        "pattern_requirements",
    ]

    /// Whether `rules` are Nosey Parker / Kingfisher rules rather than sprawl's own.
    static func isForeign(_ rules: [YAMLFields]) -> Bool {
        guard let first = rules.first, first.raw("kind") == nil,
              let id = try? first.optionalString("id") else { return false }
        return id.contains(".")
    }

    static func rules(_ nodes: [YAMLFields], file: String) throws(SignatureError) -> [Signature] {
        var result = [Signature]()
        for fields in nodes {
            let id = (try? fields.optionalString("id")) ?? nil
            do {
                result.append(try signature(fields, file: file))
            } catch { throw SignatureError(error, rule: id) }
        }
        return result
    }

    private static func signature(_ fields: YAMLFields, file: String) throws(FieldError) -> Signature {
        try fields.rejectUnknownKeys(Self.fields)
        let id = try fields.string("id")
        let name = try fields.string("name")
        if try fields.optionalBool("visible") == false {
            throw fields.error("visible", "visible: false (a helper rule whose matches are not reported) is not supported", at: fields.raw("visible"))
        }
        if fields.raw("depends_on_rule") != nil {
            throw fields.error("depends_on_rule", "depends_on_rule is not supported: it pairs this rule's matches with another rule's, which can remove findings (within) and which sprawl does not do",
                               at: fields.raw("depends_on_rule"))
        }
        if fields.raw("pattern_requirements") != nil {
            throw fields.error("pattern_requirements", "pattern_requirements (character-class minimums, ignore_if_contains) are not supported",
                               at: fields.raw("pattern_requirements"))
        }
        let pattern = try fields.string("pattern")
        let patternNode = fields.raw("pattern")
        let translated: RegexTranslator.Result
        do throws(RegexTranslator.Failure) {
            translated = try RegexTranslator.translate(pattern, dialect: .rust)
        } catch {
            throw fields.error("pattern", error.message, at: patternNode)
        }
        if let problem = RuleImport.compiles(translated.pattern) { throw fields.error("pattern", problem, at: patternNode) }

        var (keywords, problem) = RuleImport.keywords(try fields.strings("keywords").map(\.value))
        if let problem { throw fields.error("keywords", problem, at: fields.raw("keywords")) }
        if keywords.isEmpty {
            guard let derived = translated.prefixes else {
                throw FieldError(file: file, line: patternNode?.mark?.line ?? fields.line, field: fields.qualified("keywords"),
                                 message: RuleImport.noKeyword)
            }
            keywords = derived
        }

        // The secret is the first unnamed group (Kingfisher's TOKEN; Nosey Parker's first group).
        let groups = translated.groups
        let secretGroup = (groups.firstIndex(where: { $0 == nil }) ?? (groups.isEmpty ? -1 : 0)) + 1

        let minEntropy = try fields.optionalDouble("min_entropy")
        if let minEntropy, !(0...8).contains(minEntropy) {
            throw fields.error("min_entropy", "must be between 0 and 8 bits per byte", at: fields.raw("min_entropy"))
        }
        var confidence = Confidence.medium
        if let text = try fields.optionalString("confidence") {
            guard let known = Confidence(rawValue: text.lowercased()) else {
                throw fields.error("confidence", "unknown confidence '\(text)' (one of high, medium, low)", at: fields.raw("confidence"))
            }
            confidence = known
        }
        // Metadata, and the live-validation settings sprawl reads past (documented).
        _ = try fields.optionalString("description")
        _ = try fields.strings("categories")
        _ = try fields.optionalString("tls_mode")

        let examples = try fields.strings("examples").map { SignatureExample(unmarked: $0.value, line: $0.line) }
        let negatives = try fields.strings("negative_examples").map { SignatureExample(unmarked: $0.value, line: $0.line) }
        return Signature(
            id: RuleImport.sprawlID(id, prefix: nil), name: name, kind: RuleImport.kind(id: id, name: name),
            keywords: keywords, pattern: translated.pattern, secretGroup: secretGroup, minEntropy: minEntropy,
            validator: nil, isGeneric: false, confidence: confidence, subject: .unknown, secretEncoding: nil, window: 512,
            references: try fields.strings("references").map(\.value), examples: examples, negativeExamples: negatives,
            file: file, line: fields.line)
    }
}
