/// What the importers of other scanners' rule files share: ids, kinds, keywords, secret groups.
///
/// The formats and what is rejected are documented in docs/signatures.md, "Importing rules".
enum RuleImport {
    /// A sprawl id for a foreign one: lower-case, runs of other characters made one '-',
    /// `prefix` put first unless the id already starts with it (`np.aws.1` → `np-aws-1`).
    static func sprawlID(_ raw: String, prefix: String?) -> String {
        var out = ""
        for scalar in raw.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if let prefix, !out.hasPrefix(prefix + "-") { out = out.isEmpty ? prefix : prefix + "-" + out }
        if let first = out.unicodeScalars.first, !(first >= "a" && first <= "z") { out = "rule-" + out }
        return out.isEmpty ? "rule" : out
    }

    /// The identity kind a rule's id and name suggest: private keys are certificates, passwords
    /// service-account credentials, tokens tokens, anything else an API key.
    static func kind(id: String, name: String) -> IdentityKind {
        let text = (id + " " + name).lowercased()
        let squeezed = String(text.filter { $0.isLetter || $0.isNumber })
        if squeezed.contains("privatekey") { return .certificate }
        if text.contains("password") || text.contains("passwd") { return .serviceAccount }
        if text.contains("token") { return .token }
        return .apiKey
    }

    /// Checks written keywords the way sprawl's loader does: lower-cased, or what is wrong.
    static func keywords(_ written: [String]) -> (keywords: [String], problem: String?) {
        var result = [String]()
        for keyword in written {
            let lower = keyword.lowercased()
            guard lower.utf8.count >= 2 else { return ([], "keyword '\(keyword)' is shorter than 2 bytes") }
            guard lower.utf8.allSatisfy({ $0 < 0x80 }) else { return ([], "keyword '\(keyword)' is not ASCII") }
            if !result.contains(lower) { result.append(lower) }
        }
        return (result, nil)
    }

    static let noKeyword = "no keyword can be derived from the pattern (it has no literal prefix of 2 or more bytes every match starts with); add keywords"

    /// Compiles a translated pattern now, so an error names the field and line it came from.
    static func compiles(_ pattern: String) -> String? {
        do throws(PCRE2Error) {
            _ = try PCRE2Pattern(pattern)
            return nil
        } catch {
            return "PCRE2 rejects the translated pattern: \(error.description)"
        }
    }

    /// gitleaks drops a match whose entropy is at most `entropy`; sprawl one below `min_entropy`.
    static func minimumEntropy(exclusive value: Double) -> Double? {
        value == 0 ? nil : value.nextUp
    }
}

/// Typed, located access to one TOML table of a gitleaks config.
struct TOMLFields {
    let table: TOML.Table
    let file: String
    /// The dotted path of the table, e.g. `rules[2].allowlists[0]`; empty for the root.
    let path: String
    /// The gitleaks id of the rule being read, for error messages.
    var rule: String?

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String, line: Int? = nil) -> SignatureError {
        SignatureError(file: file, line: line ?? table.line(of: key), rule: rule, field: qualified(key), message: message)
    }

    func rejectUnknownKeys(_ allowed: Set<String>) throws(SignatureError) {
        for key in table.keys where !allowed.contains(key) { throw error(key, "unknown field") }
    }

    func optionalString(_ key: String) throws(SignatureError) -> String? {
        guard let value = table[key] else { return nil }
        guard case .string(let text) = value.kind else { throw error(key, "expected a string, found \(value.typeName)") }
        return text
    }

    func string(_ key: String) throws(SignatureError) -> String {
        guard let text = try optionalString(key) else { throw error(key, "missing required field") }
        guard !text.isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    func optionalNumber(_ key: String) throws(SignatureError) -> Double? {
        guard let value = table[key] else { return nil }
        switch value.kind {
        case .integer(let number): return Double(number)
        case .float(let number): return number
        default: throw error(key, "expected a number, found \(value.typeName)")
        }
    }

    func optionalInt(_ key: String) throws(SignatureError) -> Int? {
        guard let value = table[key] else { return nil }
        guard case .integer(let number) = value.kind else { throw error(key, "expected an integer, found \(value.typeName)") }
        return number
    }

    func optionalBool(_ key: String) throws(SignatureError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard case .boolean(let flag) = value.kind else { throw error(key, "expected true or false, found \(value.typeName)") }
        return flag
    }

    /// An array of strings, each with its line; a missing key is an empty list.
    func strings(_ key: String) throws(SignatureError) -> [(value: String, line: Int)] {
        guard let value = table[key] else { return [] }
        guard case .array(let items) = value.kind else { throw error(key, "expected an array of strings, found \(value.typeName)") }
        var result = [(value: String, line: Int)]()
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item.kind else {
                throw error("\(key)[\(index)]", "expected a string, found \(item.typeName)", line: item.line)
            }
            result.append((text, item.line))
        }
        return result
    }

    /// A table, or each table of an array of tables (`[[key]]`); a missing key is an empty list.
    func tables(_ key: String) throws(SignatureError) -> [TOMLFields] {
        guard let value = table[key] else { return [] }
        switch value.kind {
        case .table(let inner):
            return [TOMLFields(table: inner, file: file, path: qualified(key), rule: rule)]
        case .array(let items):
            var result = [TOMLFields]()
            for (index, item) in items.enumerated() {
                guard case .table(let inner) = item.kind else {
                    throw error(key, "expected [[\(qualified(key))]] tables, found \(item.typeName)", line: item.line)
                }
                result.append(TOMLFields(table: inner, file: file, path: "\(qualified(key))[\(index)]", rule: rule))
            }
            return result
        default:
            throw error(key, "expected a table, found \(value.typeName)")
        }
    }

    /// Whether `key` holds a single table (`[key]`) rather than an array of them (`[[key]]`).
    func isSingleTable(_ key: String) -> Bool {
        if case .table? = table[key]?.kind { return true }
        return false
    }
}
