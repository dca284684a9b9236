import Foundation

/// Loads signature files, built-in or a user's, through one code path so both get the same checks.
///
/// Loading checks the structure of every rule (fields, ids, kinds, examples); compiling the
/// patterns is the matcher's job, and `SignatureSet.check()` does both for `signatures check`.
public enum SignatureLoader {
    static let allowedFields: Set<String> = [
        "id", "name", "kind", "keywords", "pattern", "secret_group", "min_entropy", "validator", "generic",
        "secret_encoding", "window", "references", "examples", "negative_examples", "description", "confidence",
        "subject", "owns_names",
    ]

    /// Parses one file's rules: sprawl's format, or Nosey Parker / Kingfisher rules (told apart by
    /// their fields, see `NoseyParkerImporter`).
    public static func rules(in text: String, file: String) throws(SignatureError) -> [Signature] {
        let document: YAMLFields
        do {
            document = try YAMLFields.parse(text, file: file)
            try document.rejectUnknownKeys(["rules"])
        } catch { throw SignatureError(error, rule: nil) }
        var result = [Signature]()
        let ruleNodes: [YAMLFields]
        do { ruleNodes = try document.mappings("rules") } catch { throw SignatureError(error, rule: nil) }
        if ruleNodes.isEmpty {
            throw SignatureError(file: file, line: document.line, rule: nil, field: "rules", message: "no rules")
        }
        if NoseyParkerImporter.isForeign(ruleNodes) { return try NoseyParkerImporter.rules(ruleNodes, file: file) }
        for fields in ruleNodes {
            let id = (try? fields.optionalString("id")) ?? nil
            do {
                result.append(try signature(from: fields, file: file))
            } catch { throw SignatureError(error, rule: id) }
        }
        return result
    }

    private static func signature(from fields: YAMLFields, file: String) throws(FieldError) -> Signature {
        try fields.rejectUnknownKeys(allowedFields)
        let id = try fields.string("id")
        guard isWellFormed(id) else {
            throw fields.error("id", "must be lower-case letters, digits and '-', starting with a letter", at: fields.raw("id"))
        }
        let kindText = try fields.string("kind")
        guard let kind = IdentityKind(rawValue: kindText) else {
            throw fields.error("kind", "unknown kind '\(kindText)' (one of \(IdentityKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                               at: fields.raw("kind"))
        }
        let keywords = try fields.strings("keywords").map { $0.value.lowercased() }
        guard !keywords.isEmpty else { throw fields.error("keywords", "at least one keyword is required") }
        for keyword in keywords where keyword.utf8.count < 2 {
            throw fields.error("keywords", "keyword '\(keyword)' is shorter than 2 bytes", at: fields.raw("keywords"))
        }
        let pattern = try fields.string("pattern")
        let secretGroup = try fields.optionalInt("secret_group") ?? 1
        guard secretGroup >= 0 else { throw fields.error("secret_group", "must be 0 or more", at: fields.raw("secret_group")) }
        let minEntropy = try fields.optionalDouble("min_entropy")
        if let minEntropy, !(0...8).contains(minEntropy) {
            throw fields.error("min_entropy", "must be between 0 and 8 bits per byte", at: fields.raw("min_entropy"))
        }
        var validator: SecretValidator?
        if let name = try fields.optionalString("validator") {
            guard let known = SecretValidator(rawValue: name) else {
                throw fields.error("validator", "unknown validator '\(name)' (one of \(SecretValidator.allCases.map(\.rawValue).joined(separator: ", ")))",
                                   at: fields.raw("validator"))
            }
            validator = known
        }
        var encoding: SecretEncoding?
        if let name = try fields.optionalString("secret_encoding") {
            guard let known = SecretEncoding(rawValue: name) else {
                throw fields.error("secret_encoding", "unknown encoding '\(name)' (one of url)", at: fields.raw("secret_encoding"))
            }
            encoding = known
        }
        let window = try fields.optionalInt("window") ?? 512
        guard (16...1_048_576).contains(window) else {
            throw fields.error("window", "must be between 16 and 1048576 bytes", at: fields.raw("window"))
        }
        let isGeneric = try fields.optionalBool("generic") ?? false
        var confidence: Confidence
        if let name = try fields.optionalString("confidence") {
            guard let known = Confidence(rawValue: name) else {
                throw fields.error("confidence", "unknown confidence '\(name)' (one of high, medium, low)", at: fields.raw("confidence"))
            }
            confidence = known
        } else if isGeneric {
            confidence = .low
        } else if let validator, validator != .assignedSecret {
            confidence = .high
        } else {
            confidence = .medium
        }
        if isGeneric && confidence > .low && fields.raw("confidence") != nil {
            throw fields.error("confidence", "a generic rule's findings are low confidence", at: fields.raw("confidence"))
        }
        var subject = CredentialSubject.unknown
        if let name = try fields.optionalString("subject") {
            guard let known = CredentialSubject(rawValue: name) else {
                throw fields.error("subject", "unknown subject '\(name)' (one of human, workload, unknown)", at: fields.raw("subject"))
            }
            subject = known
        }
        var examples = [SignatureExample]()
        for (index, item) in try fields.strings("examples").enumerated() {
            guard let example = SignatureExample(marked: item.value, line: item.line) else {
                throw FieldError(file: file, line: item.line, field: fields.qualified("examples[\(index)]"),
                                 message: "unbalanced « » markers")
            }
            guard !example.secrets.isEmpty else {
                throw FieldError(file: file, line: item.line, field: fields.qualified("examples[\(index)]"),
                                 message: "mark the expected secret with « and »")
            }
            examples.append(example)
        }
        guard !examples.isEmpty else { throw fields.error("examples", "at least one example is required") }
        var negatives = [SignatureExample]()
        for (index, item) in try fields.strings("negative_examples").enumerated() {
            guard let example = SignatureExample(marked: item.value, line: item.line), example.secrets.isEmpty else {
                throw FieldError(file: file, line: item.line, field: fields.qualified("negative_examples[\(index)]"),
                                 message: "a negative example has no « » markers")
            }
            negatives.append(example)
        }
        var signature = Signature(
            id: id, name: try fields.string("name"), kind: kind, keywords: keywords, pattern: pattern,
            secretGroup: secretGroup, minEntropy: minEntropy, validator: validator,
            isGeneric: isGeneric, confidence: confidence, subject: subject, secretEncoding: encoding, window: window,
            references: try fields.strings("references").map(\.value), examples: examples,
            negativeExamples: negatives, file: file, line: fields.line)
        signature.declaresSubject = fields.raw("subject") != nil
        signature.ownsNames = try fields.optionalBool("owns_names") ?? false
        if signature.ownsNames && isGeneric {
            throw fields.error("owns_names", "a generic rule owns no names", at: fields.raw("owns_names"))
        }
        return signature
    }

    static func isWellFormed(_ id: String) -> Bool {
        guard let first = id.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    /// The built-in signatures, compiled into the binary.
    public static func builtin() throws(SignatureError) -> [Signature] {
        var result = [Signature]()
        for file in BuiltinSignatures.files {
            result += try rules(in: file.contents, file: "signatures/\(file.name)")
        }
        return result
    }

    /// A gitleaks / Betterleaks TOML config's rules (see `GitleaksImporter`).
    public static func gitleaksRules(in text: String, file: String) throws(SignatureError) -> [Signature] {
        try GitleaksImporter.rules(in: text, file: file)
    }

    /// Every `*.yml` / `*.yaml` file (sprawl, Nosey Parker or Kingfisher rules) and `*.toml`
    /// file (gitleaks / Betterleaks config) directly in `directory`, sorted by name.
    public static func rules(inDirectory directory: String) throws(SignatureError) -> [Signature] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") || $0.hasSuffix(".toml") }.sorted()
        } catch {
            throw SignatureError(file: directory, line: 0, rule: nil, field: "(directory)", message: "cannot read signature directory")
        }
        guard !names.isEmpty else {
            throw SignatureError(file: directory, line: 0, rule: nil, field: "(directory)", message: "no .yml, .yaml or .toml files")
        }
        var result = [Signature]()
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SignatureError(file: path, line: 0, rule: nil, field: "(file)", message: "cannot read file")
            }
            let text = String(decoding: data, as: UTF8.self)
            result += try name.hasSuffix(".toml") ? gitleaksRules(in: text, file: path) : rules(in: text, file: path)
        }
        return result
    }

    /// Rejects duplicate ids across all files: a later rule must not silently shadow an earlier one.
    public static func checkUnique(_ signatures: [Signature]) throws(SignatureError) {
        var seen = [String: Signature]()
        for signature in signatures {
            if let first = seen[signature.id] {
                throw SignatureError(file: signature.file, line: signature.line, rule: signature.id, field: "id",
                                     message: "duplicate id (first defined at \(first.file):\(first.line))")
            }
            seen[signature.id] = signature
        }
    }
}
