/// Turns the bytes a file stored into the credential the service would receive (contracts.md §1).
///
/// What is undone depends on where the secret sits: inside a double-quoted string (JSON, YAML,
/// TOML, shell) its escapes; inside a YAML single-quoted string its doubled quotes; in XML its
/// entities; in a URL's userinfo its percent-encoding; for a PEM key, everything but the base64
/// body. Base64-encoded values (Kubernetes `Secret` data, docker `auth`) are decoded earlier, by
/// `EncodedValueDecoder`, because there the *decoded* text is what gets matched.
public enum Canonicalizer {
    /// The canonical secret of a match.
    ///
    /// - Parameters:
    ///   - buffer: the scanned bytes.
    ///   - secret: the secret's byte range in `buffer`.
    ///   - encoding: how the rule says the secret is stored, if specially.
    ///   - isMarkup: whether the file is XML-like (entities are decoded only there).
    ///   - quote: the quoted string the secret starts in, when the caller tracked it along the
    ///     buffer; otherwise it is read from the line before the secret.
    public static func canonicalSecret(in buffer: UnsafeRawBufferPointer, secret: Range<Int>,
                                       encoding: SecretEncoding?, isMarkup: Bool, quote: QuoteContext? = nil) -> [UInt8] {
        let raw = Array(buffer[secret])
        if raw.starts(with: pemBegin) { return pemBody(raw) }
        var value = raw
        switch quote ?? quoteContext(in: buffer, before: secret.lowerBound) {
        case .double: value = unescapeDoubleQuoted(value)
        case .single: value = replacing(value, Array("''".utf8), with: [UInt8(ascii: "'")])
        case .none: break
        }
        if isMarkup { value = decodeXMLEntities(value) }
        if encoding == .url { value = percentDecodedUserinfo(value) }
        // A multi-line secret (a PuTTY key, a certificate bundle) is the same credential whether
        // the file was saved with CRLF or LF line endings.
        if value.contains(0x0D) { value = replacing(value, [0x0D, 0x0A], with: [0x0A]) }
        return value
    }

    static let pemBegin = Array("-----BEGIN".utf8)

    /// The base64 body of a PEM block: between the BEGIN and END lines, all white space and
    /// `\n`/`\r` escapes removed (a key stored JSON-escaped on one line gives the same body).
    static func pemBody(_ block: [UInt8]) -> [UInt8] {
        let unescaped = replacing(replacing(replacing(block, Array("\\\\n".utf8), with: [0x0A]), Array("\\n".utf8), with: [0x0A]),
                                  Array("\\r".utf8), with: [0x0A])
        // Skip the BEGIN line's closing dashes, stop at the END marker.
        guard let headerEnd = unescaped.byteRange(of: Array("-----".utf8), from: pemBegin.count) else { return block }
        let bodyStart = headerEnd.upperBound
        let bodyEnd = unescaped.byteRange(of: Array("-----END".utf8), from: bodyStart)?.lowerBound ?? unescaped.count
        return unescaped[bodyStart..<bodyEnd].filter { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C) }
    }

    public enum QuoteContext: Sendable { case none, single, double }

    /// Whether `offset` lies inside a quoted string on its line, counting unescaped quotes before it.
    static func quoteContext(in buffer: UnsafeRawBufferPointer, before offset: Int) -> QuoteContext {
        var start = offset
        while start > 0 && buffer[start - 1] != 0x0A && offset - start < 4096 { start -= 1 }
        var inDouble = false, inSingle = false
        var index = start
        while index < offset {
            let byte = buffer[index]
            if byte == 0x5C && inDouble { index += 2; continue }
            if byte == 0x22 && !inSingle { inDouble.toggle() }
            else if byte == 0x27 && !inDouble { inSingle.toggle() }
            index += 1
        }
        return inDouble ? .double : inSingle ? .single : .none
    }

    /// JSON/YAML/TOML double-quoted escapes: `\"` `\\` `\/` `\n` `\t` `\r` `\b` `\f` `\uXXXX`
    /// (with surrogate pairs) and YAML's `\xXX`. An unknown escape is kept as written.
    static func unescapeDoubleQuoted(_ value: [UInt8]) -> [UInt8] {
        guard value.contains(0x5C) else { return value }
        var output = [UInt8]()
        var index = 0
        while index < value.count {
            let byte = value[index]
            guard byte == 0x5C, index + 1 < value.count else {
                output.append(byte)
                index += 1
                continue
            }
            let next = value[index + 1]
            switch next {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"):
                output.append(next); index += 2
            case UInt8(ascii: "n"): output.append(0x0A); index += 2
            case UInt8(ascii: "t"): output.append(0x09); index += 2
            case UInt8(ascii: "r"): output.append(0x0D); index += 2
            case UInt8(ascii: "b"): output.append(0x08); index += 2
            case UInt8(ascii: "f"): output.append(0x0C); index += 2
            case UInt8(ascii: "x"):
                if let code = hexValue(value, from: index + 2, digits: 2) {
                    output.append(UInt8(code)); index += 4
                } else { output.append(byte); index += 1 }
            case UInt8(ascii: "u"):
                guard var code = hexValue(value, from: index + 2, digits: 4) else { output.append(byte); index += 1; continue }
                var consumed = 6
                if (0xD800..<0xDC00).contains(code), value.count >= index + 12,
                   value[index + 6] == 0x5C, value[index + 7] == UInt8(ascii: "u"),
                   let low = hexValue(value, from: index + 8, digits: 4), (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    consumed = 12
                }
                if let scalar = Unicode.Scalar(code) {
                    output += Array(String(Character(scalar)).utf8)
                    index += consumed
                } else { output.append(byte); index += 1 }
            default:
                output.append(byte); index += 1
            }
        }
        return output
    }

    static func hexValue(_ bytes: [UInt8], from start: Int, digits: Int) -> UInt32? {
        guard start + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[start..<(start + digits)] {
            guard let digit = hexDigit(byte) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xHH;`.
    static func decodeXMLEntities(_ value: [UInt8]) -> [UInt8] {
        guard value.contains(UInt8(ascii: "&")) else { return value }
        let named: [(String, String)] = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'")]
        var output = [UInt8]()
        var index = 0
        outer: while index < value.count {
            if value[index] == UInt8(ascii: "&") {
                for (entity, character) in named where value[index...].starts(with: entity.utf8) {
                    output += Array(character.utf8)
                    index += entity.utf8.count
                    continue outer
                }
                if index + 3 < value.count, value[index + 1] == UInt8(ascii: "#"),
                   let semicolon = value[(index + 2)...].prefix(10).firstIndex(of: UInt8(ascii: ";")) {
                    let digits = Array(value[(index + 2)..<semicolon])
                    let isHex = digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X")
                    let text = String(decoding: isHex ? Array(digits.dropFirst()) : digits, as: UTF8.self)
                    if let code = UInt32(text, radix: isHex ? 16 : 10), let scalar = Unicode.Scalar(code) {
                        output += Array(String(Character(scalar)).utf8)
                        index = semicolon + 1
                        continue
                    }
                }
            }
            output.append(value[index])
            index += 1
        }
        return output
    }

    /// Percent-decodes a URL userinfo password, unless it evidently was not encoded.
    ///
    /// People paste passwords into URLs raw (`postgres://u:p#ss%w^rd@host`); when the value holds a
    /// character that may not appear raw in userinfo (`#`, `^`, a `%` without two hex digits, space,
    /// `"` `<` `>` `` ` `` `{` `}` `|` `\`), it is taken as written. Otherwise each `%XX` is decoded.
    static func percentDecodedUserinfo(_ value: [UInt8]) -> [UInt8] {
        guard value.contains(UInt8(ascii: "%")) else { return value }
        let forbidden = Set("#^ \"<>`{}|\\[]".utf8)
        if value.contains(where: { forbidden.contains($0) }) { return value }
        var output = [UInt8]()
        var index = 0
        while index < value.count {
            if value[index] == UInt8(ascii: "%") {
                guard index + 2 < value.count,
                      let high = hexDigit(value[index + 1]), let low = hexDigit(value[index + 2]) else { return value }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(value[index])
                index += 1
            }
        }
        return output
    }

    static func replacing(_ value: [UInt8], _ target: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard value.containsBytes(target) else { return value }
        var output = [UInt8]()
        var index = 0
        while index < value.count {
            if index + target.count <= value.count, value[index..<(index + target.count)].elementsEqual(target) {
                output += replacement
                index += target.count
            } else {
                output.append(value[index])
                index += 1
            }
        }
        return output
    }
}

extension Canonicalizer {
    /// Canonicalizes a secret given on its own (`sprawl fingerprint --canonicalize`): a PEM block
    /// becomes its body, a JSON string literal (with its quotes) is unescaped, a percent-encoded
    /// value stays as given (only a URL's context says it was encoded).
    public static func canonicalize(standalone secret: [UInt8]) -> [UInt8] {
        if let start = secret.byteRange(of: pemBegin) { return pemBody(Array(secret[start.lowerBound...])) }
        if secret.count >= 2, secret.first == 0x22, secret.last == 0x22 {
            return unescapeDoubleQuoted(Array(secret.dropFirst().dropLast()))
        }
        return secret
    }
}
