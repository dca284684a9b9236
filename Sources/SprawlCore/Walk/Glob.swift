/// A path glob as users write them for `--include` / `--exclude`: `*` within a path component,
/// `**` across components, `?` one character, `[abc]` / `[!abc]` a set.
///
/// A pattern without `/` matches the file's name at any depth (`*.min.js`); one with `/` matches
/// the path relative to the scanned root (`vendor/**`, `**/testdata/*.json`). A pattern that names
/// a directory (`vendor`, `vendor/`) also matches everything below it.
public struct Glob: Sendable, CustomStringConvertible {
    public let description: String
    private let pattern: [UInt8]
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
        pattern = Array(trimmed.utf8)
    }

    /// Whether the relative path (with `/` separators) or one of its parent directories matches.
    public func matches(_ relativePath: String) -> Bool {
        let path = Array(relativePath.utf8)
        let components = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        if matchesBasename {
            return components.contains { Self.match(pattern[...], ArraySlice($0)) }
        }
        // The path itself or any of its directory prefixes.
        var prefixEnd = 0
        for component in components {
            prefixEnd = component.endIndex
            if Self.match(pattern[...], path[0..<prefixEnd]) { return true }
        }
        return false
    }

    /// Whether the whole relative path matches, without trying its parent directories.
    public func matchesExactly(_ relativePath: String) -> Bool {
        let path = Array(relativePath.utf8)
        if matchesBasename, let slash = path.lastIndex(of: UInt8(ascii: "/")) {
            return Self.match(pattern[...], path[(slash + 1)...])
        }
        return Self.match(pattern[...], path[...])
    }

    private static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, t = text.startIndex
        while p < pattern.endIndex {
            let byte = pattern[p]
            if byte == UInt8(ascii: "*") {
                let isDouble = p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*")
                let rest = p + (isDouble ? 2 : 1)
                if isDouble && rest < pattern.endIndex && pattern[rest] == UInt8(ascii: "/") {
                    // `**/` also matches zero directories.
                    if match(pattern[(rest + 1)...], text[t...]) { return true }
                }
                var candidate = t
                while true {
                    if match(pattern[rest...], text[candidate...]) { return true }
                    guard candidate < text.endIndex else { return false }
                    if !isDouble && text[candidate] == UInt8(ascii: "/") { return false }
                    candidate += 1
                }
            }
            guard t < text.endIndex else { return false }
            if byte == UInt8(ascii: "?") {
                guard text[t] != UInt8(ascii: "/") else { return false }
            } else if byte == UInt8(ascii: "["), let close = pattern[(p + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var set = pattern[(p + 1)..<close]
                let negated = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                if negated { set = set.dropFirst() }
                var found = false
                var index = set.startIndex
                while index < set.endIndex {
                    if index + 2 < set.endIndex && set[index + 1] == UInt8(ascii: "-") {
                        if (set[index]...set[index + 2]).contains(text[t]) { found = true }
                        index += 3
                    } else {
                        if set[index] == text[t] { found = true }
                        index += 1
                    }
                }
                guard found != negated else { return false }
                p = close
            } else if byte != text[t] {
                return false
            }
            p += 1
            t += 1
        }
        return t == text.endIndex
    }
}
