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

    static let secretKind = Array("kind: Secret".utf8)
    static let auths = Array("\"auths\"".utf8)

    /// The decodable values in `buffer`; empty (and cheap) for files that are neither.
    public static func values(in buffer: UnsafeRawBufferPointer) -> [Value] {
        var result = [Value]()
        if contains(buffer, secretKind) { result += kubernetesData(in: buffer) }
        if contains(buffer, auths) { result += dockerAuths(in: buffer) }
        return result + EncodedRuns.values(in: buffer, excluding: result)
    }

    /// `data:` entries of Kubernetes `Secret` documents: `key: base64` lines indented under `data:`.
    /// Only documents (between `---` lines) that say `kind: Secret` count; a ConfigMap's `data:`
    /// in the same file is plain text.
    static func kubernetesData(in buffer: UnsafeRawBufferPointer) -> [Value] {
        var result = [Value]()
        var lines = [(start: Int, end: Int)]()
        var lineStart = 0
        func flushDocument() {
            let isSecret = lines.contains { line in
                buffer[line.start..<line.end].elementsEqual(secretKind)
            }
            if isSecret { result += dataValues(in: buffer, lines: lines) }
            lines.removeAll()
        }
        while lineStart < buffer.count {
            var lineEnd = lineStart
            while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            while contentEnd > lineStart && (buffer[contentEnd - 1] == 0x0D || buffer[contentEnd - 1] == 0x20) { contentEnd -= 1 }
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

    private static func dataValues(in buffer: UnsafeRawBufferPointer, lines: [(start: Int, end: Int)]) -> [Value] {
        var result = [Value]()
        var dataIndent: Int?
        for (lineStart, contentEnd) in lines {
            var indent = lineStart
            while indent < contentEnd && buffer[indent] == 0x20 { indent += 1 }
            let depth = indent - lineStart
            let content = Array(buffer[indent..<contentEnd])
            if content.isEmpty || content.first == UInt8(ascii: "#") { continue }  // no end of block
            guard let parent = dataIndent, depth > parent else {
                dataIndent = content == Array("data:".utf8) ? depth : nil
                continue
            }
            guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = content[..<colon]
            var valueStart = colon + 1
            while valueStart < content.count && content[valueStart] == 0x20 { valueStart += 1 }
            var value = content[valueStart...]
            if value.count >= 2, let first = value.first, first == value.last,
               first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                value = value.dropFirst().dropLast()
            }
            if value.count >= 4, let decoded = Base64.decode(value), isText(decoded) {
                let offset = indent + value.startIndex
                result.append(Value(location: offset..<(offset + value.count),
                                    synthetic: synthetic(name: Array(name), decoded: decoded)))
            }
        }
        return result
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

    /// Decoded bytes that are text (no NUL, at most 5% non-printable): binary data is no password.
    static func isText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, !bytes.contains(0) else { return false }
        let unprintable = bytes.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }.count
        guard unprintable * 20 <= bytes.count else { return false }
        return String(validating: bytes, as: UTF8.self) != nil
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
