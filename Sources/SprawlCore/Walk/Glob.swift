/// A path glob as users write them for `--include` / `--exclude`: `*` within a path component,
/// `**` across components, `?` one character, `[abc]` / `[!abc]` a set.
///
/// A pattern without `/` matches the file's name at any depth (`*.min.js`); one with `/` matches
/// the path relative to the scanned root (`vendor/**`, `**/testdata/*.json`). A pattern that names
/// a directory (`vendor`, `vendor/`) also matches everything below it.
public struct Glob: Sendable, CustomStringConvertible {
    public let description: String
    private let tokens: [Token]
    private let matchesBasename: Bool

    /// - Parameter anchored: match from the root even without a `/` (gitignore's leading `/`).
    public init(_ text: String, anchored: Bool = false) {
        description = text
        var trimmed = text
        while trimmed.hasSuffix("/") && trimmed.count > 1 { trimmed.removeLast() }
        if trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        var isAnchored = anchored
        if trimmed.hasPrefix("/") {
            trimmed.removeFirst()
            isAnchored = true
        }
        matchesBasename = !isAnchored && !trimmed.contains("/")
        tokens = Self.tokens(Array(trimmed.utf8)[...])
    }

    /// Whether the relative path (with `/` separators) or one of its parent directories matches.
    public func matches(_ relativePath: String) -> Bool {
        let path = Array(relativePath.utf8)
        let components = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        if matchesBasename {
            return components.contains { Self.match(tokens, ArraySlice($0)) }
        }
        // The path itself or any of its directory prefixes.
        var prefixEnd = 0
        for component in components {
            prefixEnd = component.endIndex
            if Self.match(tokens, path[0..<prefixEnd]) { return true }
        }
        return false
    }

    /// Whether the whole relative path matches, without trying its parent directories.
    public func matchesExactly(_ relativePath: String) -> Bool {
        let path = Array(relativePath.utf8)
        if matchesBasename, let slash = path.lastIndex(of: UInt8(ascii: "/")) {
            return Self.match(tokens, path[(slash + 1)...])
        }
        return Self.match(tokens, path[...])
    }

    /// One element of a pattern.
    enum Token: Equatable {
        case literal(UInt8)
        /// `?`: one byte other than `/`.
        case any
        /// `[abc]`, `[a-z]`, `[!abc]`: inclusive byte ranges.
        case set([ClosedRange<UInt8>], negated: Bool)
        /// `*`: any run of bytes within a path component.
        case star
        /// `**`: any run of bytes, `/` included.
        case globstar
        /// `**/`: nothing, or any run of bytes ending in `/` (zero or more directories).
        case globstarSlash
    }

    static func tokens(_ pattern: ArraySlice<UInt8>) -> [Token] {
        var tokens = [Token]()
        var p = pattern.startIndex
        while p < pattern.endIndex {
            let byte = pattern[p]
            if byte == UInt8(ascii: "*") {
                if p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*") {
                    if p + 2 < pattern.endIndex && pattern[p + 2] == UInt8(ascii: "/") {
                        tokens.append(.globstarSlash)
                        p += 3
                    } else {
                        tokens.append(.globstar)
                        p += 2
                    }
                } else {
                    tokens.append(.star)
                    p += 1
                }
            } else if byte == UInt8(ascii: "?") {
                tokens.append(.any)
                p += 1
            } else if byte == UInt8(ascii: "["), let close = pattern[(p + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var set = pattern[(p + 1)..<close]
                let negated = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negated { set = set.dropFirst() }
                var ranges = [ClosedRange<UInt8>]()
                var index = set.startIndex
                while index < set.endIndex {
                    if index + 2 < set.endIndex && set[index + 1] == UInt8(ascii: "-") {
                        if set[index] <= set[index + 2] { ranges.append(set[index]...set[index + 2]) }
                        index += 3
                    } else {
                        ranges.append(set[index]...set[index])
                        index += 1
                    }
                }
                tokens.append(.set(ranges, negated: negated))
                p = close + 1
            } else {
                tokens.append(.literal(byte))
                p += 1
            }
        }
        return tokens
    }

    /// Whether `text` matches `pattern` in whole.
    ///
    /// A simulation over text positions, token by token: the positions a prefix of the pattern can
    /// reach. Time is tokens × text, whatever the pattern; backtracking over stars, as shells do,
    /// is exponential in the number of stars (`*a*a*a*…b`), and patterns come from files anyone
    /// can commit (`.sprawlignore`).
    static func match(_ tokens: [Token], _ text: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(text)
        let count = bytes.count
        let slash = UInt8(ascii: "/")
        var current = [Bool](repeating: false, count: count + 1)
        current[0] = true
        var next = current
        for token in tokens {
            for index in 0...count { next[index] = false }
            switch token {
            case .literal, .any, .set:
                for position in 0..<count where current[position] && token.accepts(bytes[position]) {
                    next[position + 1] = true
                }
            case .star:
                for position in 0...count {
                    next[position] = current[position] || (position > 0 && next[position - 1] && bytes[position - 1] != slash)
                }
            case .globstar:
                for position in 0...count { next[position] = current[position] || (position > 0 && next[position - 1]) }
            case .globstarSlash:
                var reach = false  // some position at or before this one was reachable
                for position in 0...count {
                    reach = reach || current[position]
                    if current[position] { next[position] = true }
                    if reach && position < count && bytes[position] == slash { next[position + 1] = true }
                }
            }
            swap(&current, &next)
            guard current.contains(true) else { return false }
        }
        return current[count]
    }
}

extension Glob.Token {
    /// Whether a single-byte token accepts `byte`.
    func accepts(_ byte: UInt8) -> Bool {
        switch self {
        case .literal(let literal): return byte == literal
        case .any: return byte != UInt8(ascii: "/")
        case .set(let ranges, let negated): return ranges.contains { $0.contains(byte) } != negated
        case .star, .globstar, .globstarSlash: return false
        }
    }
}
