/// A small TOML reader for the subset rule configurations use, with the line of every key and
/// value for error messages.
///
/// Supported: `[table]` and `[[array.of.tables]]` headers with dotted keys, bare and quoted keys,
/// dotted keys on the left of `=`, basic, literal and multi-line strings (with TOML's escapes),
/// arrays (also spread over lines, with comments), integers, floats, booleans and comments.
/// Anything else (dates and times, inline tables) is an error naming its line, never skipped.
enum TOML {
    /// One value, with the line it starts on.
    struct Value {
        enum Kind {
            case string(String)
            case integer(Int)
            case float(Double)
            case boolean(Bool)
            case array([Value])
            case table(Table)
        }
        let kind: Kind
        let line: Int

        var typeName: String {
            switch kind {
            case .string: return "a string"
            case .integer: return "an integer"
            case .float: return "a float"
            case .boolean: return "a boolean"
            case .array: return "an array"
            case .table: return "a table"
            }
        }
    }

    /// A table: its entries in the order written, each with the line of its key.
    final class Table {
        private(set) var keys = [String]()
        private(set) var entries = [String: (value: Value, line: Int)]()
        /// Where the table's header (or first key) is.
        let line: Int
        /// Created implicitly by a dotted header or key, so a later `[header]` may still define it.
        var isImplicit: Bool

        init(line: Int, isImplicit: Bool = false) {
            self.line = line
            self.isImplicit = isImplicit
        }

        subscript(key: String) -> Value? { entries[key]?.value }
        func line(of key: String) -> Int { entries[key]?.line ?? line }

        func set(_ key: String, _ value: Value, line: Int) {
            if entries[key] == nil { keys.append(key) }
            entries[key] = (value, line)
        }
    }

    struct ParseError: Error, Equatable {
        let line: Int
        let message: String
    }

    /// Parses `text` into its root table.
    static func parse(_ text: String) throws(ParseError) -> Table {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        /// Tables defined by a `[header]`, which must not be defined twice.
        var definedTables = Set<ObjectIdentifier>()

        init(bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

        func error(_ message: String, line: Int? = nil) -> ParseError { ParseError(line: line ?? self.line, message: message) }

        mutating func advance() {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }

        mutating func skipSpaces() {
            while let byte = peek, byte == 0x20 || byte == 0x09 { index += 1 }
        }

        mutating func skipComment() throws(ParseError) {
            guard peek == UInt8(ascii: "#") else { return }
            while let byte = peek, byte != 0x0A {
                if byte < 0x20 && byte != 0x09 && byte != 0x0D { throw error("control character in a comment") }
                index += 1
            }
        }

        /// Whitespace, newlines and comments (between entries and inside arrays).
        mutating func skipBlank() throws(ParseError) {
            while let byte = peek {
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    advance()
                } else if byte == UInt8(ascii: "#") {
                    try skipComment()
                } else {
                    return
                }
            }
        }

        /// The rest of a line after an entry or header: spaces, an optional comment, a newline.
        mutating func endOfLine() throws(ParseError) {
            skipSpaces()
            try skipComment()
            if peek == 0x0D && peek(1) == 0x0A { index += 1 }
            guard let byte = peek else { return }
            guard byte == 0x0A else { throw error("expected the end of the line, found '\(String(decoding: [byte], as: UTF8.self))'") }
            advance()
        }

        mutating func document() throws(ParseError) -> Table {
            let root = Table(line: 1)
            var current = root
            while true {
                try skipBlank()
                guard let byte = peek else { return root }
                if byte == UInt8(ascii: "[") {
                    current = try header(root: root)
                } else {
                    try keyValue(into: current)
                }
                try endOfLine()
            }
        }

        // MARK: Headers

        mutating func header(root: Table) throws(ParseError) -> Table {
            let headerLine = line
            let isArray = peek(1) == UInt8(ascii: "[")
            index += isArray ? 2 : 1
            skipSpaces()
            let path = try dottedKey()
            skipSpaces()
            guard peek == UInt8(ascii: "]"), !isArray || peek(1) == UInt8(ascii: "]") else {
                throw error(isArray ? "expected ']]' to close the table-array header" : "expected ']' to close the table header")
            }
            index += isArray ? 2 : 1
            var table = root
            for key in path.dropLast() { table = try descend(table, key, headerLine: headerLine) }
            let last = path[path.count - 1]
            if isArray {
                let element = Table(line: headerLine)
                if let existing = table.entries[last] {
                    // Only `[[header]]` makes arrays of tables (inline tables are rejected), so a
                    // non-empty array of tables here is one a previous header started.
                    guard case .array(var items) = existing.value.kind, !items.isEmpty,
                          items.allSatisfy({ if case .table = $0.kind { return true } else { return false } }) else {
                        throw error("'\(path.joined(separator: "."))' is already defined as a value (line \(existing.line))", line: headerLine)
                    }
                    items.append(Value(kind: .table(element), line: headerLine))
                    table.set(last, Value(kind: .array(items), line: existing.value.line), line: existing.line)
                } else {
                    table.set(last, Value(kind: .array([Value(kind: .table(element), line: headerLine)]), line: headerLine), line: headerLine)
                }
                return element
            }
            if let existing = table.entries[last] {
                guard case .table(let defined) = existing.value.kind else {
                    throw error("'\(path.joined(separator: "."))' is already defined (line \(existing.line))", line: headerLine)
                }
                guard defined.isImplicit, !definedTables.contains(ObjectIdentifier(defined)) else {
                    throw error("table [\(path.joined(separator: "."))] is defined twice (first at line \(defined.line))", line: headerLine)
                }
                defined.isImplicit = false
                definedTables.insert(ObjectIdentifier(defined))
                return defined
            }
            let created = Table(line: headerLine)
            definedTables.insert(ObjectIdentifier(created))
            table.set(last, Value(kind: .table(created), line: headerLine), line: headerLine)
            return created
        }

        /// The table `key` of `table`, created implicitly if missing; the last element of an array of tables.
        mutating func descend(_ table: Table, _ key: String, headerLine: Int) throws(ParseError) -> Table {
            guard let existing = table.entries[key] else {
                let created = Table(line: headerLine, isImplicit: true)
                table.set(key, Value(kind: .table(created), line: headerLine), line: headerLine)
                return created
            }
            switch existing.value.kind {
            case .table(let inner):
                return inner
            case .array(let items):
                if case .table(let last)? = items.last?.kind { return last }
                fallthrough
            default:
                throw error("'\(key)' is \(existing.value.typeName) (line \(existing.line)), not a table", line: headerLine)
            }
        }

        // MARK: Keys

        mutating func dottedKey() throws(ParseError) -> [String] {
            var parts = [try simpleKey()]
            while true {
                skipSpaces()
                guard peek == UInt8(ascii: ".") else { return parts }
                index += 1
                skipSpaces()
                parts.append(try simpleKey())
            }
        }

        mutating func simpleKey() throws(ParseError) -> String {
            guard let byte = peek else { throw error("expected a key") }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                if peek(1) == byte && peek(2) == byte { throw error("a multi-line string cannot be a key") }
                guard case .string(let text) = try string().kind else { throw error("expected a key") }
                return text
            }
            let start = index
            while let byte = peek, Self.isBareKey(byte) { index += 1 }
            guard index > start else { throw error("expected a key, found '\(String(decoding: [byte], as: UTF8.self))'") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        static func isBareKey(_ byte: UInt8) -> Bool {
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }

        mutating func keyValue(into table: Table) throws(ParseError) {
            let keyLine = line
            let path = try dottedKey()
            skipSpaces()
            guard peek == UInt8(ascii: "=") else { throw error("expected '=' after the key '\(path.joined(separator: "."))'") }
            index += 1
            skipSpaces()
            let value = try self.value()
            var target = table
            for key in path.dropLast() { target = try descend(target, key, headerLine: keyLine) }
            let last = path[path.count - 1]
            if let existing = target.entries[last] {
                throw error("duplicate key '\(path.joined(separator: "."))' (first at line \(existing.line))", line: keyLine)
            }
            target.set(last, value, line: keyLine)
        }

        // MARK: Values

        mutating func value() throws(ParseError) -> Value {
            guard let byte = peek else { throw error("expected a value") }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                return try string()
            case UInt8(ascii: "["):
                return try array()
            case UInt8(ascii: "{"):
                throw error("inline tables are not supported; write a [table] instead")
            default:
                return try scalar()
            }
        }

        mutating func array() throws(ParseError) -> Value {
            let startLine = line
            index += 1
            var items = [Value]()
            while true {
                try skipBlank()
                guard let byte = peek else { throw error("unterminated array (opened at line \(startLine))") }
                if byte == UInt8(ascii: "]") {
                    index += 1
                    return Value(kind: .array(items), line: startLine)
                }
                items.append(try value())
                try skipBlank()
                guard peek != nil else { throw error("unterminated array (opened at line \(startLine))") }
                if peek == UInt8(ascii: ",") {
                    index += 1
                } else if peek != UInt8(ascii: "]") {
                    throw error("expected ',' or ']' in the array opened at line \(startLine)")
                }
            }
        }

        mutating func scalar() throws(ParseError) -> Value {
            let start = index
            let startLine = line
            while let byte = peek, byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != UInt8(ascii: ","),
                  byte != UInt8(ascii: "]"), byte != UInt8(ascii: "#") {
                index += 1
            }
            let token = String(decoding: bytes[start..<index], as: UTF8.self)
            if token == "true" { return Value(kind: .boolean(true), line: startLine) }
            if token == "false" { return Value(kind: .boolean(false), line: startLine) }
            if let integer = Self.integer(token) { return Value(kind: .integer(integer), line: startLine) }
            if let float = Self.float(token) { return Value(kind: .float(float), line: startLine) }
            if token.isEmpty { throw error("expected a value") }
            if Self.looksLikeDate(token) { throw error("dates and times are not supported ('\(token)')", line: startLine) }
            throw error("unsupported value '\(token)' (strings must be quoted)", line: startLine)
        }

        static func looksLikeDate(_ token: String) -> Bool {
            let bytes = Array(token.utf8)
            if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") { return true }
            return bytes.count >= 5 && bytes[2] == UInt8(ascii: ":")
        }

        /// Whether underscores in a number stand only between digits, as TOML requires.
        static func underscoresValid(_ text: Substring) -> Bool {
            let bytes = Array(text.utf8)
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "_") {
                guard index > 0, index < bytes.count - 1, isHexDigit(bytes[index - 1]), isHexDigit(bytes[index + 1]) else { return false }
            }
            return true
        }

        static func isHexDigit(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
        }

        static func integer(_ token: String) -> Int? {
            var text = Substring(token)
            var sign = 1
            if text.hasPrefix("+") || text.hasPrefix("-") {
                if text.hasPrefix("-") { sign = -1 }
                text = text.dropFirst()
            }
            guard !text.isEmpty, underscoresValid(text) else { return nil }
            let plain = text.replacingOccurrences(of: "_", with: "")
            var radix = 10
            var digits = Substring(plain)
            for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
                guard sign == 1, token.first != "+" else { return nil }
                radix = base
                digits = digits.dropFirst(2)
            }
            guard !digits.isEmpty else { return nil }
            if radix == 10 {
                guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                if digits.count > 1 && digits.hasPrefix("0") { return nil }
            }
            guard let value = Int(digits, radix: radix) else { return nil }
            return sign * value
        }

        static func float(_ token: String) -> Double? {
            switch token {
            case "inf", "+inf": return .infinity
            case "-inf": return -.infinity
            case "nan", "+nan", "-nan": return .nan
            default: break
            }
            let body = Substring(token)
            guard underscoresValid(body) else { return nil }
            let plain = token.replacingOccurrences(of: "_", with: "")
            let allowed = Set("0123456789+-.eE")
            guard plain.allSatisfy({ allowed.contains($0) }), plain.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
                return nil
            }
            // TOML requires digits on both sides of the point.
            let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 2 {
                guard let before = parts[0].last, before.isNumber, let after = parts[1].first, after.isNumber else { return nil }
            }
            return Double(plain)
        }

        mutating func string() throws(ParseError) -> Value {
            let startLine = line
            let quote = bytes[index]
            let isLiteral = quote == UInt8(ascii: "'")
            if peek(1) == quote && peek(2) == quote {
                index += 3
                // A newline right after the opening delimiter is trimmed.
                if peek == 0x0D && peek(1) == 0x0A { index += 2; line += 1 } else if peek == 0x0A { advance() }
                var out = [UInt8]()
                while true {
                    guard let byte = peek else { throw error("unterminated multi-line string (opened at line \(startLine))") }
                    if byte == quote && peek(1) == quote && peek(2) == quote {
                        // Up to two more quotes before the delimiter belong to the content.
                        var extra = 0
                        while extra < 2 && peek(3 + extra) == quote { extra += 1 }
                        out += Array(repeating: quote, count: extra)
                        index += 3 + extra
                        return Value(kind: .string(String(decoding: out, as: UTF8.self)), line: startLine)
                    }
                    if !isLiteral && byte == UInt8(ascii: "\\") {
                        // A backslash at the end of a line trims the newline and following whitespace.
                        var look = index + 1
                        while look < bytes.count && (bytes[look] == 0x20 || bytes[look] == 0x09) { look += 1 }
                        if look < bytes.count && (bytes[look] == 0x0A || bytes[look] == 0x0D) {
                            index = look
                            while let next = peek, next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D { advance() }
                            continue
                        }
                        out += try escape()
                        continue
                    }
                    if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { throw error("control character in a string") }
                    out.append(byte)
                    advance()
                }
            }
            index += 1
            var out = [UInt8]()
            while true {
                guard let byte = peek, byte != 0x0A else { throw error("unterminated string", line: startLine) }
                if byte == quote {
                    index += 1
                    return Value(kind: .string(String(decoding: out, as: UTF8.self)), line: startLine)
                }
                if !isLiteral && byte == UInt8(ascii: "\\") {
                    out += try escape()
                    continue
                }
                if byte < 0x20 && byte != 0x09 { throw error("control character in a string") }
                out.append(byte)
                index += 1
            }
        }

        /// One escape sequence of a basic string, as UTF-8.
        mutating func escape() throws(ParseError) -> [UInt8] {
            index += 1
            guard let byte = peek else { throw error("unterminated escape sequence") }
            index += 1
            switch byte {
            case UInt8(ascii: "b"): return [0x08]
            case UInt8(ascii: "t"): return [0x09]
            case UInt8(ascii: "n"): return [0x0A]
            case UInt8(ascii: "f"): return [0x0C]
            case UInt8(ascii: "r"): return [0x0D]
            case UInt8(ascii: "e"): return [0x1B]
            case UInt8(ascii: "\""): return [0x22]
            case UInt8(ascii: "\\"): return [0x5C]
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let count = byte == UInt8(ascii: "u") ? 4 : 8
                guard index + count <= bytes.count,
                      let code = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(code) else {
                    throw error("invalid \\\(String(decoding: [byte], as: UTF8.self)) escape")
                }
                index += count
                return Array(String(Character(scalar)).utf8)
            default:
                throw error("invalid escape sequence '\\\(String(decoding: [byte], as: UTF8.self))' (a regular expression is best written in a '''literal''' string)")
            }
        }
    }
}
