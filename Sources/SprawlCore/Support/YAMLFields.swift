import Yams

/// A problem with one field of a YAML (or JSON) configuration file: where it is and what is wrong.
///
/// Shared by the signature and inventory loaders, whose errors wrap it with their own context.
public struct FieldError: Error, Sendable, Equatable {
    public let file: String
    public let line: Int
    public let field: String
    public let message: String
}

/// Typed, located access to the fields of one YAML mapping.
///
/// Every accessor either returns a value or throws a `FieldError` naming the file, line and field,
/// so a loader never has to build error messages by hand.
struct YAMLFields {
    let file: String
    let node: Node
    /// The dotted path of this mapping in the document, e.g. `identities[3]`.
    let path: String
    /// The mapping's entries by key. Looked up here rather than with `node[key]`, which resolves
    /// the tag of every key it passes with a regular expression: that made loading the built-in
    /// signatures the slowest part of a pre-commit run.
    private let entries: [String: (key: Node, value: Node)]

    var line: Int { node.mark?.line ?? 1 }

    init(file: String, node: Node, path: String) throws(FieldError) {
        guard node.mapping != nil else {
            throw FieldError(file: file, line: node.mark?.line ?? 1, field: path.isEmpty ? "(document)" : path,
                             message: "expected a mapping")
        }
        self.file = file
        self.node = node
        self.path = path
        var entries = [String: (key: Node, value: Node)]()
        for pair in node.mapping ?? [:] {
            guard case .scalar(let scalar) = pair.key else { continue }
            if entries[scalar.string] == nil { entries[scalar.string] = (pair.key, pair.value) }
        }
        self.entries = entries
    }

    /// Parses `text` and returns its single document as a mapping.
    static func parse(_ text: String, file: String) throws(FieldError) -> YAMLFields {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw FieldError(file: file, line: Self.line(of: error), field: "(document)",
                             message: "invalid YAML: \(Self.problem(of: error))")
        } catch {
            throw FieldError(file: file, line: 1, field: "(document)", message: "invalid YAML: \(error)")
        }
        guard let root else { throw FieldError(file: file, line: 1, field: "(document)", message: "empty document") }
        return try YAMLFields(file: file, node: root, path: "")
    }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String, at node: Node? = nil) -> FieldError {
        FieldError(file: file, line: node?.mark?.line ?? line, field: qualified(key), message: message)
    }

    /// The keys present, for rejecting unknown fields.
    var keys: [(String, Node)] {
        entries.map { ($0.key, $0.value.key) }.sorted { ($0.1.mark?.line ?? 0) < ($1.1.mark?.line ?? 0) }
    }

    /// Rejects any key not in `allowed`: a typo must not silently disable a setting.
    func rejectUnknownKeys(_ allowed: Set<String>) throws(FieldError) {
        for (key, keyNode) in keys where !allowed.contains(key) {
            // An empty or blank key (`"": x`, `! : x`) still gets a name the user can find.
            let name = key.trimmingCharacters(in: .whitespaces).isEmpty ? qualified("\"\(key)\"") : qualified(key)
            throw FieldError(file: file, line: keyNode.mark?.line ?? line, field: name, message: "unknown field")
        }
    }

    func raw(_ key: String) -> Node? {
        guard let value = entries[key]?.value else { return nil }
        if case .scalar(let scalar) = value, scalar.style == .plain,
           scalar.string == "null" || scalar.string == "~" || scalar.string == "Null" || scalar.string == "NULL" || scalar.string.isEmpty {
            return nil
        }
        return value
    }

    /// A plain (unquoted) scalar's text, for numbers and booleans.
    private func plainScalar(_ value: Node) -> String? {
        guard case .scalar(let scalar) = value, scalar.style == .plain else { return nil }
        return scalar.string
    }

    func optionalString(_ key: String) throws(FieldError) -> String? {
        guard let value = raw(key) else { return nil }
        guard case .scalar(let scalar) = value else { throw error(key, "expected a string", at: value) }
        return scalar.string
    }

    func string(_ key: String) throws(FieldError) -> String {
        guard let value = try optionalString(key) else { throw error(key, "missing required field") }
        guard !value.isEmpty else { throw error(key, "must not be empty", at: raw(key)) }
        return value
    }

    func optionalInt(_ key: String) throws(FieldError) -> Int? {
        guard let value = raw(key) else { return nil }
        guard let text = plainScalar(value), let int = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(key, "expected an integer", at: value)
        }
        return int
    }

    func optionalDouble(_ key: String) throws(FieldError) -> Double? {
        guard let value = raw(key) else { return nil }
        guard let text = plainScalar(value), let double = Double(text) else { throw error(key, "expected a number", at: value) }
        return double
    }

    func optionalBool(_ key: String) throws(FieldError) -> Bool? {
        guard let value = raw(key) else { return nil }
        switch plainScalar(value)?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw error(key, "expected true or false", at: value)
        }
    }

    /// A sequence of nodes; a missing key is an empty list.
    func sequence(_ key: String) throws(FieldError) -> [Node] {
        guard let value = raw(key) else { return [] }
        guard let sequence = value.sequence else { throw error(key, "expected a list", at: value) }
        return Array(sequence)
    }

    /// A list of strings, each with the line it was written on.
    func strings(_ key: String) throws(FieldError) -> [(value: String, line: Int)] {
        var result = [(value: String, line: Int)]()
        for (index, item) in try sequence(key).enumerated() {
            guard case .scalar(let scalar) = item else {
                throw error("\(key)[\(index)]", "expected a string", at: item)
            }
            result.append((scalar.string, item.mark?.line ?? line))
        }
        return result
    }

    /// The mappings of a list, each wrapped for located access.
    func mappings(_ key: String) throws(FieldError) -> [YAMLFields] {
        var result = [YAMLFields]()
        for (index, item) in try sequence(key).enumerated() {
            result.append(try YAMLFields(file: file, node: item, path: "\(qualified(key))[\(index)]"))
        }
        return result
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 1
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}
