/// Reads a gitleaks (or Betterleaks) TOML config into sprawl signatures.
///
/// Supported: `title`, `description`, `minVersion`; `[[rules]]` with `id`, `description`,
/// `regex`, `secretGroup`, `entropy`, `keywords`, `tags`; rule allowlists (`[[rules.allowlists]]`
/// or the older `[rules.allowlist]`) and global ones (`[[allowlists]]` or `[allowlist]`, with
/// `targetRules`) made of `regexes` (target `secret` or `match`), `stopwords` and `condition`.
/// Everything that would change what is reported and sprawl cannot do is an error naming the
/// file, line, rule and field: `[extend]`, rule `path`, `required`, `skipReport`, allowlist
/// `paths` and `commits`, `regexTarget = "line"`. Unknown fields are errors too.
enum GitleaksImporter {
    static let rootFields: Set<String> = ["title", "description", "minVersion", "rules", "allowlist", "allowlists", "extend"]
    static let ruleFields: Set<String> = [
        "id", "description", "regex", "secretGroup", "entropy", "keywords", "tags", "allowlist", "allowlists", "path",
        "required", "skipReport",
    ]
    static let allowlistFields: Set<String> = ["description", "condition", "regexTarget", "regexes", "stopwords", "paths", "commits"]

    static func rules(in text: String, file: String) throws(SignatureError) -> [Signature] {
        let root: TOML.Table
        do throws(TOML.ParseError) {
            root = try TOML.parse(text)
        } catch {
            throw SignatureError(file: file, line: error.line, rule: nil, field: "(document)", message: "invalid TOML: \(error.message)")
        }
        let document = TOMLFields(table: root, file: file, path: "", rule: nil)
        try document.rejectUnknownKeys(rootFields)
        if root["extend"] != nil {
            throw document.error("extend", "[extend] (useDefault, path, disabledRules) is not supported: sprawl has its own built-in rules and loads no other config; copy the rules you need into this file")
        }
        _ = try document.optionalString("title")
        _ = try document.optionalString("description")
        _ = try document.optionalString("minVersion")

        // Global allowlists, each with the gitleaks rule ids it is limited to (none: every rule).
        if root["allowlist"] != nil && root["allowlists"] != nil {
            throw document.error("allowlist", "[allowlist] cannot be used alongside [[allowlists]]")
        }
        var global = [(list: SecretAllowlist, targets: [(value: String, line: Int)], fields: TOMLFields)]()
        for fields in try document.tables("allowlist") + document.tables("allowlists") {
            let targets = try fields.strings("targetRules")
            global.append((try allowlist(fields, allowsTargets: true), targets, fields))
        }

        if root["rules"] == nil { throw document.error("rules", "no [[rules]]") }
        if document.isSingleTable("rules") { throw document.error("rules", "expected [[rules]] (an array of tables), found [rules]") }
        var result = [Signature]()
        var knownIDs = Set<String>()
        for var fields in try document.tables("rules") {
            let id = try fields.string("id")
            fields.rule = id
            knownIDs.insert(id)
            var signature = try self.signature(fields, id: id)
            for entry in global where entry.targets.isEmpty || entry.targets.contains(where: { $0.value == id }) {
                signature.allowlists.append(entry.list)
            }
            result.append(signature)
        }
        guard !result.isEmpty else { throw document.error("rules", "no rules") }
        for entry in global {
            for (index, target) in entry.targets.enumerated() where !knownIDs.contains(target.value) {
                throw entry.fields.error("targetRules[\(index)]", "no rule '\(target.value)' in this file", line: target.line)
            }
        }
        return result
    }

    private static func signature(_ fields: TOMLFields, id: String) throws(SignatureError) -> Signature {
        try fields.rejectUnknownKeys(ruleFields)
        if fields.table["path"] != nil {
            throw fields.error("path", fields.table["regex"] == nil
                ? "path-only rules (a rule that matches file names) are not supported"
                : "rules limited to paths are not supported: sprawl would apply the regex to every file; use --include/--exclude or drop path")
        }
        if fields.table["required"] != nil {
            throw fields.error("required", "composite rules ([[rules.required]]) are not supported")
        }
        if try fields.optionalBool("skipReport") == true {
            throw fields.error("skipReport", "skipReport = true (a helper rule whose findings are not reported) is not supported")
        }
        guard fields.table["regex"] != nil else { throw fields.error("regex", "missing required field (sprawl needs a regex)") }
        let regex = try fields.string("regex")
        let regexLine = fields.table.line(of: "regex")
        let translated: RegexTranslator.Result
        do throws(RegexTranslator.Failure) {
            translated = try RegexTranslator.translate(regex, dialect: .go)
        } catch {
            throw fields.error("regex", error.message)
        }
        if let problem = RuleImport.compiles(translated.pattern) { throw fields.error("regex", problem) }

        var (keywords, problem) = RuleImport.keywords(try fields.strings("keywords").map(\.value))
        if let problem { throw fields.error("keywords", problem) }
        if keywords.isEmpty {
            guard let derived = translated.prefixes else { throw fields.error("keywords", RuleImport.noKeyword, line: regexLine) }
            keywords = derived
        }

        let groupCount = translated.groups.count
        var secretGroup = try fields.optionalInt("secretGroup") ?? 0
        if secretGroup < 0 { throw fields.error("secretGroup", "must be 0 or more") }
        if secretGroup > groupCount {
            throw fields.error("secretGroup", "the regex has \(groupCount) capture groups, not \(secretGroup)")
        }
        if secretGroup == 0 && groupCount > 1 {
            throw fields.error("secretGroup", "the regex has \(groupCount) capture groups and no secretGroup: gitleaks then reports the first non-empty one, sprawl needs a fixed one; set secretGroup",
                               line: regexLine)
        }
        if secretGroup == 0 && groupCount == 1 { secretGroup = 1 }

        var minEntropy: Double?
        if let entropy = try fields.optionalNumber("entropy") {
            guard (0...8).contains(entropy) else { throw fields.error("entropy", "must be between 0 and 8 bits per byte") }
            minEntropy = RuleImport.minimumEntropy(exclusive: entropy)
        }
        _ = try fields.strings("tags")  // metadata only
        let name = try fields.optionalString("description").flatMap { $0.isEmpty ? nil : $0 } ?? id

        if fields.table["allowlist"] != nil && fields.table["allowlists"] != nil {
            throw fields.error("allowlist", "[rules.allowlist] cannot be used alongside [[rules.allowlists]]")
        }
        var allowlists = [SecretAllowlist]()
        for list in try fields.tables("allowlist") + fields.tables("allowlists") {
            allowlists.append(try allowlist(list, allowsTargets: false))
        }

        var signature = Signature(
            id: RuleImport.sprawlID(id, prefix: "gitleaks"), name: name, kind: RuleImport.kind(id: id, name: name),
            keywords: keywords, pattern: translated.pattern, secretGroup: secretGroup, minEntropy: minEntropy,
            validator: nil, isGeneric: false, confidence: .medium, subject: .unknown, secretEncoding: nil, window: 512,
            references: [], examples: [], negativeExamples: [], file: fields.file, line: fields.table.line)
        signature.allowlists = allowlists
        return signature
    }

    private static func allowlist(_ fields: TOMLFields, allowsTargets: Bool) throws(SignatureError) -> SecretAllowlist {
        try fields.rejectUnknownKeys(allowsTargets ? allowlistFields.union(["targetRules"]) : allowlistFields)
        _ = try fields.optionalString("description")
        if !(try fields.strings("paths")).isEmpty {
            throw fields.error("paths", "path allowlists are not supported; use --exclude or .sprawlignore")
        }
        if !(try fields.strings("commits")).isEmpty {
            throw fields.error("commits", "commit allowlists are not supported; use a baseline or .sprawlignore fingerprints")
        }
        var target = SecretAllowlist.Target.secret
        switch try fields.optionalString("regexTarget") ?? "secret" {
        case "secret", "": target = .secret
        case "match": target = .match
        case "line":
            throw fields.error("regexTarget", "regexTarget = \"line\" is not supported (sprawl checks the secret or the match)")
        case let other:
            throw fields.error("regexTarget", "unknown regexTarget '\(other)' (secret or match)")
        }
        var requiresAll = false
        switch (try fields.optionalString("condition") ?? "").uppercased() {
        case "", "OR", "||": requiresAll = false
        case "AND", "&&": requiresAll = true
        case let other: throw fields.error("condition", "unknown condition '\(other)' (AND or OR)")
        }
        var patterns = [String]()
        for (index, item) in try fields.strings("regexes").enumerated() {
            let translated: RegexTranslator.Result
            do throws(RegexTranslator.Failure) {
                translated = try RegexTranslator.translate(item.value, dialect: .go)
            } catch {
                throw fields.error("regexes[\(index)]", error.message, line: item.line)
            }
            if let problem = RuleImport.compiles(translated.pattern) {
                throw fields.error("regexes[\(index)]", problem, line: item.line)
            }
            patterns.append(translated.pattern)
        }
        let stopwords = try fields.strings("stopwords").map { $0.value.lowercased() }.filter { !$0.isEmpty }
        guard !patterns.isEmpty || !stopwords.isEmpty else {
            throw SignatureError(file: fields.file, line: fields.table.line, rule: fields.rule, field: fields.path,
                                 message: "an allowlist needs regexes or stopwords")
        }
        return SecretAllowlist(patterns: patterns, target: target, stopwords: stopwords, requiresAll: requiresAll,
                               line: fields.table.line)
    }
}
