#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds values that hide a secret behind base64 — a Kubernetes `Secret`'s `data:` entries and a
/// docker `config.json` `auth` (`user:password`) — and decodes them into small synthetic texts
/// that the matcher scans like any file.
///
/// Every match in a synthetic text is reported at the encoded value's location, with the decoded
/// secret's fingerprint, so the password in `k8s/secret.yaml` is the same credential as the one in
/// `.env`. Decoding happens before matching, not in the canonicalizer, because only the decoded
/// text shows which rule applies.
public enum EncodedValueDecoder {
    /// A decoded value: where the encoded bytes are, and the text to scan in their place.
    public struct Value: Equatable {
        /// The encoded value's byte range in the scanned buffer.
        public let location: Range<Int>
        /// `name: decoded` (or the decoded text alone when it spans lines).
        public let synthetic: [UInt8]
        /// The decoded value alone, when `synthetic` puts a name before it: scanned first, so that
        /// a rule anchored at a line's start (`.pgpass`, `requirepass`) sees the value as written.
        public var bare: [UInt8]?
        /// How the value was encoded, as findings report it (`base64`, `hex`, `percent`).
        public let encoding: String
        /// Whether the value stands for its bytes even when nothing is found in it: a Kubernetes
        /// `data:` entry or a docker `auth` is never the secret itself, while a long base64 run
        /// found anywhere may be (a random key is a base64 run too).
        public let isStructural: Bool

        init(location: Range<Int>, synthetic: [UInt8], encoding: String = "base64", isStructural: Bool = true) {
            (self.location, self.synthetic, self.encoding, self.isStructural) = (location, synthetic, encoding, isStructural)
        }
    }

    static let kindKey = Array("kind:".utf8)
    static let secretWords = [Array("Secret".utf8), Array("secret".utf8)]
    static let auths = Array("\"auths\"".utf8)
    /// The name under which a Secret's values are scanned: the `kubernetes-secret-value` rule
    /// reports every value of a committed Secret, whatever it looks like.
    static let secretValuePrefix = Array("k8s-secret-data.".utf8)

    /// The decodable values in `buffer`; empty (and cheap) for files that are neither.
    /// The decodable values in `buffer`, not counting runs too long to decode.
    public static func values(in buffer: UnsafeRawBufferPointer) -> [Value] {
        var oversized = 0
        return values(in: buffer, oversized: &oversized)
    }

    /// - Parameter oversized: incremented for each encoded run too long to decode.
    public static func values(in buffer: UnsafeRawBufferPointer, oversized: inout Int) -> [Value] {
        var result = [Value]()
        if contains(buffer, kindKey) && secretWords.contains(where: { contains(buffer, $0) }) {
            result += kubernetesData(in: buffer)
        }
        if contains(buffer, auths) { result += dockerAuths(in: buffer) }
        return result + EncodedRuns.values(in: buffer, excluding: result, oversized: &oversized)
    }

    /// `data:` (base64) and `stringData:` (plain) entries of Kubernetes `Secret` documents.
    /// Only documents (between `---` lines) that say `kind: Secret` count (any case, quoted or
    /// not); a ConfigMap's `data:` in the same file is plain configuration.
    static func kubernetesData(in buffer: UnsafeRawBufferPointer) -> [Value] {
        var result = [Value]()
        var lines = [(start: Int, end: Int)]()
        var lineStart = 0
        func flushDocument() {
            if lines.contains(where: { isSecretKind(buffer[$0.start..<$0.end]) }) { result += dataValues(in: buffer, lines: lines) }
            lines.removeAll()
        }
        while lineStart < buffer.count {
            var lineEnd = lineStart
            while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            while contentEnd > lineStart && (buffer[contentEnd - 1] == 0x0D || buffer[contentEnd - 1] == 0x20 || buffer[contentEnd - 1] == 0x09) {
                contentEnd -= 1
            }
            if buffer[lineStart..<contentEnd].elementsEqual("---".utf8) {
                flushDocument()
            } else {
                lines.append((lineStart, contentEnd))
            }
            lineStart = lineEnd + 1
        }
        flushDocument()
        return result
    }

    /// `kind: Secret`, `kind: "secret"`, `  kind: 'Secret'` (a manifest inside a list).
    static func isSecretKind(_ line: Slice<UnsafeRawBufferPointer>) -> Bool {
        var bytes = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: "-") }
        guard bytes.starts(with: kindKey) else { return false }
        bytes = bytes.dropFirst(kindKey.count).drop { $0 == 0x20 || $0 == 0x09 }
        var word = Array(bytes).map { $0 | 0x20 }
        if let first = word.first, first == UInt8(ascii: "\"") | 0x20 || first == UInt8(ascii: "'") | 0x20 { word.removeFirst() }
        if let last = word.last, last == UInt8(ascii: "\"") | 0x20 || last == UInt8(ascii: "'") | 0x20 { word.removeLast() }
        return word.elementsEqual("secret".utf8)
    }

    private static func dataValues(in buffer: UnsafeRawBufferPointer, lines: [(start: Int, end: Int)]) -> [Value] {
        var result = [Value]()
        var block: (depth: Int, isBase64: Bool)?
        var index = 0
        while index < lines.count {
            let (lineStart, contentEnd) = lines[index]
            index += 1
            var indent = lineStart
            while indent < contentEnd && (buffer[indent] == 0x20 || buffer[indent] == 0x09) { indent += 1 }
            let depth = indent - lineStart
            let content = Array(buffer[indent..<contentEnd])
            if content.isEmpty || content.first == UInt8(ascii: "#") { continue }  // no end of block
            guard let parent = block, depth > parent.depth else {
                block = content == Array("data:".utf8) ? (depth, true)
                    : content == Array("stringData:".utf8) ? (depth, false) : nil
                continue
            }
            guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = content[..<colon]
            var valueStart = colon + 1
            while valueStart < content.count && (content[valueStart] == 0x20 || content[valueStart] == 0x09) { valueStart += 1 }
            var value = content[valueStart...]
            var location = (indent + valueStart)..<(indent + content.count)
            // A block scalar (`|`, `>`, `|-`): the value is the more-indented lines that follow.
            if let first = value.first, first == UInt8(ascii: "|") || first == UInt8(ascii: ">"), value.count <= 3 {
                var text = [UInt8]()
                var last = index
                while last < lines.count {
                    let (start, end) = lines[last]
                    var inner = start
                    while inner < end && (buffer[inner] == 0x20 || buffer[inner] == 0x09) { inner += 1 }
                    if inner < end && inner - start <= depth { break }
                    if inner < end {
                        if !text.isEmpty && !parent.isBase64 { text.append(0x0A) }
                        text += buffer[inner..<end]
                        location = location.lowerBound..<end
                    }
                    last += 1
                }
                index = last
                value = text[...]
            } else if value.count >= 2, let first = value.first, first == value.last,
                      first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                value = value.dropFirst().dropLast()
                location = (location.lowerBound + 1)..<(location.upperBound - 1)
            }
            guard !value.isEmpty else { continue }
            if parent.isBase64 {
                guard value.count >= 4, let decoded = Base64.decode(value), isText(decoded) else { continue }
                var entry = Value(location: location, synthetic: secretSynthetic(name: Array(name), value: decoded))
                entry.bare = decoded
                result.append(entry)
            } else {
                var entry = Value(location: location, synthetic: secretSynthetic(name: Array(name), value: Array(value)))
                entry.bare = Array(value)
                result.append(entry)
            }
        }
        return result
    }

    /// A Secret's value as the matcher sees it: structured values (a PEM key, a docker config)
    /// stand alone so that their own rules apply; a plain value is `k8s-secret-data.NAME: value`,
    /// which the `kubernetes-secret-value` rule reports and the generic rules read by its name.
    static func secretSynthetic(name: [UInt8], value: [UInt8]) -> [UInt8] {
        let isStructured = value.contains(0x0A) || value.first == UInt8(ascii: "{") || value.first == UInt8(ascii: "[")
        if isStructured { return value }
        return secretValuePrefix + name + Array(": ".utf8) + value + [0x0A]
    }

    /// `"auth": "base64(user:password)"` entries of a docker config.
    static func dockerAuths(in buffer: UnsafeRawBufferPointer) -> [Value] {
        var result = [Value]()
        let key = Array("\"auth\"".utf8)
        var index = 0
        while let found = buffer.byteRange(of: key, from: index)?.lowerBound {
            index = found + key.count
            var cursor = index
            while cursor < buffer.count && (buffer[cursor] == 0x20 || buffer[cursor] == 0x09) { cursor += 1 }
            guard cursor < buffer.count, buffer[cursor] == UInt8(ascii: ":") else { continue }
            cursor += 1
            while cursor < buffer.count && (buffer[cursor] == 0x20 || buffer[cursor] == 0x09) { cursor += 1 }
            guard cursor < buffer.count, buffer[cursor] == UInt8(ascii: "\"") else { continue }
            let start = cursor + 1
            var end = start
            while end < buffer.count && buffer[end] != UInt8(ascii: "\"") && end - start < 4096 { end += 1 }
            guard end < buffer.count, let decoded = Base64.decode(buffer[start..<end]), isText(decoded),
                  let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let password = Array(decoded[(colon + 1)...])
            guard !password.isEmpty else { continue }
            result.append(Value(location: start..<end, synthetic: synthetic(name: Array("password".utf8), decoded: password)))
        }
        return result
    }

    /// The text the matcher sees: `name: value` for a plain value, so that the generic assignment
    /// rules apply; a value with structure of its own (several lines, JSON, double quotes: a PEM
    /// key, a nested docker config) stands alone, so its own quoting decides how it is canonicalized.
    static func synthetic(name: [UInt8], decoded: [UInt8]) -> [UInt8] {
        let isStructured = decoded.contains(0x0A) || decoded.contains(0x22) || decoded.first == UInt8(ascii: "{")
            || decoded.first == UInt8(ascii: "[")
        if isStructured { return decoded }
        let needsQuotes = decoded.contains { $0 == 0x20 || $0 == 0x09 || $0 == 0x27 || $0 == 0x60 || $0 == 0x23 }
        if !needsQuotes { return name + Array(": ".utf8) + decoded + [0x0A] }
        var escaped = [UInt8]()
        for byte in decoded {
            if byte == 0x5C { escaped.append(0x5C) }
            escaped.append(byte)
        }
        return name + Array(": \"".utf8) + escaped + Array("\"\n".utf8)
    }

    /// Decoded bytes that are text (no NUL, at most 5% control bytes, and valid UTF-8 or at most
    /// 2% bytes above ASCII): binary data is no password. Random bytes are about half above
    /// ASCII, so a text with a damaged byte or two still counts and ciphertext never does.
    static func isText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, !bytes.contains(0) else { return false }
        var control = 0, high = 0
        for byte in bytes {
            if byte < 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { control += 1 }
            if byte >= 0x80 { high += 1 }
        }
        guard control * 20 <= bytes.count else { return false }
        return high * 50 <= bytes.count || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Whether `needle` occurs in `buffer`; memchr is vectorised, so the check costs little on
    /// the many files that are neither manifests nor docker configs.
    static func contains(_ buffer: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let base = buffer.baseAddress, buffer.count >= needle.count else { return false }
        // Safety: memchr and memcmp read only within [base, base + count) (the loop keeps
        // `position + needle.count <= count`) and the needle's own storage.
        return needle.withUnsafeBytes { needleBytes in
            var position = 0
            while position + needle.count <= buffer.count {
                guard let found = memchr(base + position, Int32(needle[0]), buffer.count - needle.count + 1 - position) else {
                    return false
                }
                position = base.distance(to: UnsafeRawPointer(found))
                if memcmp(base + position, needleBytes.baseAddress!, needle.count) == 0 { return true }
                position += 1
            }
            return false
        }
    }
}
