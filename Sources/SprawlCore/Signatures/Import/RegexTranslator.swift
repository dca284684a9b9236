/// Translates a Go RE2 (gitleaks) or Rust `regex` (Nosey Parker, Kingfisher) pattern into the
/// PCRE2 dialect sprawl compiles, and finds the literals every match starts with.
///
/// The translation is exact or it fails: a construct PCRE2 would read differently is rewritten
/// (`^`/`$` outside `(?m)`, Go's `\s`, `\v`, Rust's free-spacing mode), and one that cannot be
/// rewritten (lookaround, backreferences, Unicode classes, non-ASCII text, Rust's nested classes)
/// is an error with its offset in the pattern. See docs/signatures.md, "Importing rules".
struct RegexTranslator {
    enum Dialect {
        /// Go's regexp (RE2 syntax), used by gitleaks and Betterleaks.
        case go
        /// Rust's regex crate syntax, used by Nosey Parker and Kingfisher.
        case rust

        var name: String { self == .go ? "Go RE2" : "Rust regex" }
    }

    struct Failure: Error {
        let message: String
    }

    struct Result {
        /// The pattern for PCRE2 (compiled with PCRE2_MULTILINE, as sprawl does).
        let pattern: String
        /// For each capture group (1-based order), its name, or nil when unnamed.
        let groups: [String?]
        /// Lower-cased literals one of which every match starts with; nil when none is provable.
        let prefixes: [String]?
    }

    /// A parsed pattern; only as much structure as emitting and prefix analysis need.
    indirect enum Node {
        /// One literal byte (ASCII).
        case literal(UInt8)
        /// Something that matches one character and is not a single literal (class, `.`, `\d`).
        case single(String)
        /// Matches the empty string: anchors, word boundaries, flag settings.
        case empty(String)
        case group(Node, open: String)
        case concat([Node])
        case alternation([Node])
        case repeated(Node, suffix: String, min: Int)
    }

    struct Flags {
        var caseInsensitive = false, multiLine = false, dotAll = false, ungreedy = false, extended = false
    }

    let dialect: Dialect
    private let bytes: [UInt8]
    private var index = 0
    private var flags = Flags()
    private var groups = [String?]()

    static func translate(_ pattern: String, dialect: Dialect) throws(Failure) -> Result {
        var translator = RegexTranslator(dialect: dialect, bytes: Array(pattern.utf8))
        let node = try translator.parseAlternation(depth: 0)
        if translator.index < translator.bytes.count { throw translator.fail("unbalanced ')'") }
        let emitted = Self.emit(node)
        let info = Self.literalInfo(node)
        let prefixes = (info.exact ?? info.prefixes).map { String(decoding: $0, as: UTF8.self) }.sorted()
        let usable = !prefixes.isEmpty && prefixes.allSatisfy { $0.utf8.count >= 2 }
        return Result(pattern: emitted, groups: translator.groups, prefixes: usable ? prefixes : nil)
    }

    private init(dialect: Dialect, bytes: [UInt8]) {
        self.dialect = dialect
        self.bytes = bytes
    }

    private func fail(_ message: String, at offset: Int? = nil) -> Failure {
        Failure(message: "\(message) at pattern offset \(offset ?? index)")
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    private func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// In free-spacing mode, whitespace and `#` comments between tokens are dropped here, so
    /// PCRE2 gets a pattern without `x` (whose rules inside classes differ from Rust's).
    private mutating func skipFreeSpacing() {
        guard flags.extended else { return }
        while let byte = peek {
            if Self.isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "#") {
                while let next = peek, next != 0x0A { index += 1 }
            } else {
                return
            }
        }
    }

    // MARK: Parsing

    private mutating func parseAlternation(depth: Int) throws(Failure) -> Node {
        var branches = [try parseConcat(depth: depth)]
        while peek == UInt8(ascii: "|") {
            index += 1
            branches.append(try parseConcat(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat(depth: Int) throws(Failure) -> Node {
        var items = [Node]()
        while true {
            skipFreeSpacing()
            guard let byte = peek, byte != UInt8(ascii: "|") else { break }
            if byte == UInt8(ascii: ")") {
                guard depth > 0 else { throw fail("unbalanced ')'") }
                break
            }
            let start = index
            var atom = try parseAtom(depth: depth)
            atom = try parseQuantifiers(atom, atomStart: start)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .concat(items)
    }

    private mutating func parseQuantifiers(_ atom: Node, atomStart: Int) throws(Failure) -> Node {
        skipFreeSpacing()
        guard let (suffix, minimum) = try quantifier() else { return atom }
        if case .empty(let text) = atom, text.hasPrefix("(?") || text.isEmpty {
            throw fail("repetition of a flag setting", at: atomStart)
        }
        var full = suffix
        if peek == UInt8(ascii: "?") {
            full += "?"
            index += 1
        }
        skipFreeSpacing()
        let before = index
        if (try quantifier()) != nil || peek == UInt8(ascii: "+") {
            throw fail("nested repetition operator (possessive quantifiers are not \(dialect.name) syntax)", at: before)
        }
        return .repeated(atom, suffix: full, min: minimum)
    }

    /// A repetition operator at the current position, consumed: its text and minimum count.
    private mutating func quantifier() throws(Failure) -> (String, Int)? {
        guard let byte = peek else { return nil }
        switch byte {
        case UInt8(ascii: "*"): index += 1; return ("*", 0)
        case UInt8(ascii: "+"): index += 1; return ("+", 1)
        case UInt8(ascii: "?"): index += 1; return ("?", 0)
        case UInt8(ascii: "{"):
            var look = index + 1
            func digits() -> String {
                var text = ""
                while look < bytes.count, bytes[look] >= 0x30, bytes[look] <= 0x39 {
                    text.append(Character(Unicode.Scalar(bytes[look])))
                    look += 1
                }
                return text
            }
            let low = digits()
            if low.isEmpty {
                if look < bytes.count, bytes[look] == UInt8(ascii: ",") {
                    throw fail("'{,n}' repetition reads differently across engines; write '{0,n}'")
                }
                return try literalBrace()
            }
            var text = "{" + low
            if look < bytes.count, bytes[look] == UInt8(ascii: ",") {
                look += 1
                text += "," + digits()
            }
            guard look < bytes.count, bytes[look] == UInt8(ascii: "}") else { return try literalBrace() }
            index = look + 1
            guard let minimum = Int(low), minimum <= 1000 else { throw fail("repetition count over 1000") }
            if let comma = text.firstIndex(of: ","), let maximum = Int(text[text.index(after: comma)...]),
               maximum < minimum || maximum > 1000 {
                throw fail("invalid repetition range \(text)}")
            }
            return (text + "}", minimum)
        default:
            return nil
        }
    }

    /// A '{' that does not start a counted repetition: a literal in Go, an error in Rust (which
    /// also allows spaces inside a repetition in free-spacing mode, which this does not read).
    private func literalBrace() throws(Failure) -> (String, Int)? {
        guard dialect == .go else { throw fail("a literal '{' must be escaped in Rust regex syntax (and a counted repetition must not contain spaces)") }
        return nil
    }

    private mutating func parseAtom(depth: Int) throws(Failure) -> Node {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "("):
            return try parseGroup(depth: depth)
        case UInt8(ascii: "["):
            return .single(try parseClass())
        case UInt8(ascii: "."):
            index += 1
            return .single(".")
        case UInt8(ascii: "^"):
            index += 1
            return .empty(flags.multiLine ? "^" : "\\A")
        case UInt8(ascii: "$"):
            index += 1
            return .empty(flags.multiLine ? "$" : "\\z")
        case UInt8(ascii: "\\"):
            return try parseEscape()
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            throw fail("repetition operator without an argument")
        default:
            guard byte < 0x80 else {
                throw fail("non-ASCII character: sprawl matches bytes, not UTF-8 characters; write the bytes as \\xHH escapes of an ASCII pattern or drop them")
            }
            index += 1
            return .literal(byte)
        }
    }

    private mutating func parseGroup(depth: Int) throws(Failure) -> Node {
        let start = index
        index += 1
        let saved = flags
        var open = "("
        if peek == UInt8(ascii: "?") {
            index += 1
            guard let next = peek else { throw fail("unterminated group", at: start) }
            switch next {
            case UInt8(ascii: "P"), UInt8(ascii: "<"):
                if next == UInt8(ascii: "P") {
                    index += 1
                    guard peek == UInt8(ascii: "<") else { throw fail("backreferences and recursion are not supported", at: start) }
                }
                if peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "!") {
                    throw fail("lookbehind is not \(dialect.name) syntax", at: start)
                }
                index += 1
                let nameStart = index
                while let byte = peek, byte != UInt8(ascii: ">") {
                    let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
                    guard ok else { throw fail("capture group names must be letters, digits and '_'", at: index) }
                    index += 1
                }
                guard peek == UInt8(ascii: ">"), index > nameStart else { throw fail("unterminated group name", at: start) }
                let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
                guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39), name.utf8.count <= 32 else {
                    throw fail("capture group name '\(name)' must not start with a digit and must be at most 32 characters", at: nameStart)
                }
                if groups.contains(where: { $0 == name }) { throw fail("duplicate capture group name '\(name)'", at: nameStart) }
                index += 1
                groups.append(name)
                open = "(?<\(name)>"
            case UInt8(ascii: "="), UInt8(ascii: "!"):
                throw fail("lookahead is not \(dialect.name) syntax", at: start)
            case UInt8(ascii: "#"):
                throw fail("(?#...) comments are not \(dialect.name) syntax", at: start)
            default:
                let (text, isGroup) = try parseFlags(start: start)
                if !isGroup {
                    // `(?flags)`: applies to the rest of the enclosing group; `saved` is not restored.
                    return .empty(text.isEmpty ? "" : "(?\(text))")
                }
                open = text.isEmpty ? "(?:" : "(?\(text):"
            }
        } else {
            groups.append(nil)
        }
        let inner = try parseAlternation(depth: depth + 1)
        guard peek == UInt8(ascii: ")") else { throw fail("missing ')'", at: start) }
        index += 1
        flags = saved
        return .group(inner, open: open)
    }

    /// Parses `flags)` or `flags:` after `(?`, updating `flags`; returns the flags to emit and
    /// whether a group body follows.
    private mutating func parseFlags(start: Int) throws(Failure) -> (String, Bool) {
        var on = "", off = ""
        var negate = false
        while let byte = peek {
            index += 1
            let value = !negate
            switch byte {
            case UInt8(ascii: ")"), UInt8(ascii: ":"):
                let emitted = on + (off.isEmpty ? "" : "-" + off)
                return (emitted, byte == UInt8(ascii: ":"))
            case UInt8(ascii: "-"):
                guard !negate else { throw fail("repeated '-' in flags", at: start) }
                negate = true
            case UInt8(ascii: "i"):
                flags.caseInsensitive = value
                if value { on += "i" } else { off += "i" }
            case UInt8(ascii: "s"):
                flags.dotAll = value
                if value { on += "s" } else { off += "s" }
            case UInt8(ascii: "U"):
                flags.ungreedy = value
                if value { on += "U" } else { off += "U" }
            case UInt8(ascii: "m"):
                // Not emitted: `^`/`$` are translated by this flag, and PCRE2 stays multi-line.
                flags.multiLine = value
            case UInt8(ascii: "x") where dialect == .rust:
                // Not emitted: free-spacing is resolved while parsing.
                flags.extended = value
            case UInt8(ascii: "u") where dialect == .rust:
                break  // Unicode mode: sprawl matches bytes; see docs (\d, \w, \b are ASCII).
            default:
                throw fail("unsupported flag '\(String(decoding: [byte], as: UTF8.self))' in (?...)", at: index - 1)
            }
        }
        throw fail("unterminated flag group", at: start)
    }

    private mutating func parseEscape() throws(Failure) -> Node {
        let start = index
        index += 1
        guard let byte = peek else { throw fail("trailing backslash", at: start) }
        index += 1
        switch byte {
        case UInt8(ascii: "A"): return .empty("\\A")
        case UInt8(ascii: "z"): return .empty("\\z")
        case UInt8(ascii: "b"), UInt8(ascii: "B"):
            if dialect == .rust && peek == UInt8(ascii: "{") { throw fail("\\b{...} boundaries are not supported", at: start) }
            return .empty(byte == UInt8(ascii: "b") ? "\\b" : "\\B")
        case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"):
            return .single("\\" + String(Character(Unicode.Scalar(byte))))
        case UInt8(ascii: "s"):
            // Go's \s is [\t\n\f\r ]; PCRE2's adds \v.
            return .single(dialect == .go ? "[\\t\\n\\f\\r ]" : "\\s")
        case UInt8(ascii: "S"):
            return .single(dialect == .go ? "[^\\t\\n\\f\\r ]" : "\\S")
        case UInt8(ascii: "Q"):
            var literals = [Node]()
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "E") {
                    index += 2
                    break
                }
                guard bytes[index] < 0x80 else { throw fail("non-ASCII character in \\Q...\\E") }
                literals.append(.literal(bytes[index]))
                index += 1
            }
            return literals.count == 1 ? literals[0] : .concat(literals)
        default:
            if let value = try simpleEscape(byte, start: start) { return .literal(value) }
            throw fail("unsupported escape '\\\(String(decoding: [byte], as: UTF8.self))'", at: start)
        }
    }

    /// Escapes that stand for one byte, shared by classes and the rest of the pattern.
    private mutating func simpleEscape(_ byte: UInt8, start: Int) throws(Failure) -> UInt8? {
        switch byte {
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "a"): return 0x07
        case UInt8(ascii: "v"): return 0x0B  // PCRE2's \v is a class of vertical space
        case UInt8(ascii: "x"):
            var hex = ""
            if peek == UInt8(ascii: "{") {
                index += 1
                while let next = peek, next != UInt8(ascii: "}") {
                    hex.append(Character(Unicode.Scalar(next)))
                    index += 1
                }
                guard peek == UInt8(ascii: "}") else { throw fail("unterminated \\x{...}", at: start) }
                index += 1
            } else {
                for _ in 0..<2 {
                    guard let next = peek else { break }
                    hex.append(Character(Unicode.Scalar(next)))
                    index += 1
                }
            }
            guard let value = UInt32(hex, radix: 16) else { throw fail("invalid \\x escape", at: start) }
            guard value < 0x80 else {
                throw fail("\\x escape above 0x7F means a UTF-8 character in \(dialect.name) but a byte in sprawl", at: start)
            }
            return UInt8(value)
        case UInt8(ascii: "p"), UInt8(ascii: "P"):
            throw fail("Unicode classes (\\p, \\P) are not supported: sprawl matches bytes", at: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            throw fail("octal escapes and backreferences are not supported; write \\xHH", at: start)
        default:
            // Escaped punctuation is the character itself in all three dialects.
            if byte < 0x80 && !Self.isAlphanumeric(byte) && byte > 0x20 { return byte }
            if dialect == .rust && byte == 0x20 { return byte }  // `\ ` in free-spacing mode
            return nil
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static let posixClasses: Set<String> = [
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper",
        "word", "xdigit",
    ]

    /// A bracketed class, emitted for PCRE2.
    private mutating func parseClass() throws(Failure) -> String {
        let start = index
        index += 1
        var out = "["
        if peek == UInt8(ascii: "^") {
            out += "^"
            index += 1
        }
        var first = true
        while true {
            if flags.extended {
                while let byte = peek, Self.isSpace(byte) { index += 1 }
            }
            guard let byte = peek else { throw fail("unterminated character class", at: start) }
            defer { first = false }
            if byte == UInt8(ascii: "]") && !first {
                index += 1
                return out + "]"
            }
            switch byte {
            case UInt8(ascii: "["):
                if peek(1) == UInt8(ascii: ":") {
                    var look = index + 2
                    var name = ""
                    while look < bytes.count, bytes[look] != UInt8(ascii: ":") {
                        name.append(Character(Unicode.Scalar(bytes[look])))
                        look += 1
                    }
                    let bare = name.hasPrefix("^") ? String(name.dropFirst()) : name
                    guard look + 1 < bytes.count, bytes[look + 1] == UInt8(ascii: "]"), Self.posixClasses.contains(bare) else {
                        throw fail("unknown POSIX class '[:\(name):]'")
                    }
                    out += "[:\(name):]"
                    index = look + 2
                } else if dialect == .rust {
                    throw fail("nested character classes are not supported")
                } else {
                    out += "\\["
                    index += 1
                }
            case UInt8(ascii: "#") where flags.extended:
                throw fail("'#' inside a class in free-spacing mode; write \\#")
            case UInt8(ascii: "&"), UInt8(ascii: "~"), UInt8(ascii: "-"):
                if dialect == .rust && peek(1) == byte {
                    throw fail("class set operations ('\(String(decoding: [byte, byte], as: UTF8.self))') are not supported")
                }
                out.append(Character(Unicode.Scalar(byte)))
                index += 1
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = peek else { throw fail("unterminated character class", at: start) }
                index += 1
                switch escaped {
                case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"):
                    out += "\\" + String(Character(Unicode.Scalar(escaped)))
                case UInt8(ascii: "s"):
                    out += dialect == .go ? "\\t\\n\\f\\r " : "\\s"
                case UInt8(ascii: "S"):
                    guard dialect == .rust else { throw fail("\\S inside a class (Go's \\S includes \\v, PCRE2's does not)", at: index - 2) }
                    out += "\\S"
                case UInt8(ascii: "b"):
                    throw fail("\\b inside a character class", at: index - 2)
                default:
                    guard let value = try simpleEscape(escaped, start: index - 2) else {
                        throw fail("unsupported escape '\\\(String(decoding: [escaped], as: UTF8.self))' in a class", at: index - 2)
                    }
                    out += Self.classLiteral(value)
                }
            default:
                guard byte < 0x80 else { throw fail("non-ASCII character in a class: sprawl matches bytes, not UTF-8 characters") }
                out += byte == UInt8(ascii: "]") ? "\\]" : Self.classLiteral(byte)
                index += 1
            }
        }
    }

    private static func classLiteral(_ byte: UInt8) -> String {
        if byte < 0x20 || byte == 0x7F { return hex(byte) }
        if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "^")
            || byte == UInt8(ascii: "-") || byte == 0x20 || byte == UInt8(ascii: "#") {
            return byte == 0x20 ? "\\x20" : "\\" + String(Character(Unicode.Scalar(byte)))
        }
        return String(Character(Unicode.Scalar(byte)))
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    // MARK: Emitting

    static func emit(_ node: Node) -> String {
        switch node {
        case .literal(let byte):
            if byte < 0x20 || byte == 0x7F || byte == 0x20 || byte == UInt8(ascii: "#") { return hex(byte) }
            if "\\^$.|?*+()[]{}".utf8.contains(byte) { return "\\" + String(Character(Unicode.Scalar(byte))) }
            return String(Character(Unicode.Scalar(byte)))
        case .single(let text), .empty(let text):
            return text
        case .group(let inner, let open):
            return open + emit(inner) + ")"
        case .concat(let items):
            return items.map(emit).joined()
        case .alternation(let branches):
            return branches.map(emit).joined(separator: "|")
        case .repeated(let inner, let suffix, _):
            let body = emit(inner)
            // A multi-byte translation of one token (Go's `\s` is a class already) stays atomic;
            // a concatenation from \Q...\E needs a group.
            if case .concat = inner { return "(?:" + body + ")" + suffix }
            return body + suffix
        }
    }

    // MARK: Literal prefixes

    struct LiteralInfo {
        /// Every string the node can match, when that is a small known set.
        var exact: Set<[UInt8]>?
        /// Every match starts with one of these (an empty one means nothing is known).
        var prefixes: Set<[UInt8]>
    }

    static let maxSetSize = 64

    static func literalInfo(_ node: Node) -> LiteralInfo {
        switch node {
        case .literal(let byte):
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            return LiteralInfo(exact: [[lower]], prefixes: [[lower]])
        case .single:
            return LiteralInfo(exact: nil, prefixes: [[]])
        case .empty:
            return LiteralInfo(exact: [[]], prefixes: [[]])
        case .group(let inner, _):
            return literalInfo(inner)
        case .concat(let items):
            var current: Set<[UInt8]> = [[]]
            for item in items {
                let info = literalInfo(item)
                let next = info.exact ?? info.prefixes
                let combined = Set(current.flatMap { head in next.map { head + $0 } })
                if combined.count > maxSetSize { return LiteralInfo(exact: nil, prefixes: current) }
                if info.exact == nil { return LiteralInfo(exact: nil, prefixes: combined) }
                current = combined
            }
            return LiteralInfo(exact: current, prefixes: current)
        case .alternation(let branches):
            let infos = branches.map(literalInfo)
            if infos.allSatisfy({ $0.exact != nil }) {
                let union = infos.reduce(into: Set<[UInt8]>()) { $0.formUnion($1.exact ?? []) }
                if union.count <= maxSetSize { return LiteralInfo(exact: union, prefixes: union) }
            }
            let union = infos.reduce(into: Set<[UInt8]>()) { $0.formUnion($1.exact ?? $1.prefixes) }
            return LiteralInfo(exact: nil, prefixes: union.count <= maxSetSize ? union : [[]])
        case .repeated(let inner, _, let minimum):
            guard minimum >= 1 else { return LiteralInfo(exact: nil, prefixes: [[]]) }
            let info = literalInfo(inner)
            return LiteralInfo(exact: nil, prefixes: info.exact ?? info.prefixes)
        }
    }
}
