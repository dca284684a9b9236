/// File names are bytes, and not every name is UTF-8 (a Latin-1 name from an old archive, a
/// name a test writes on purpose). sprawl keeps paths as Swift strings, which hold only Unicode,
/// so a name's bytes that are not UTF-8 are carried as code points of their own: byte `b`
/// (0x80–0xFF) becomes U+10FF00 + `b`, in Plane 16's private use area. A valid name that happens
/// to contain one of those code points has its bytes escaped the same way, so the mapping is
/// one-to-one and every path converts back to the exact bytes it came from.
///
/// Reports carry the escaped form (documented in docs/report.md): JSON writes the code points
/// as they are, SARIF percent-encodes the original bytes in its URIs, and the text report shows
/// `\xNN`.
public enum PathBytes {
    static let escapeBase: UInt32 = 0x10FF00
    static let escapes: ClosedRange<UInt32> = 0x10FF80...0x10FFFF

    /// The string for a name's bytes.
    public static func string(_ bytes: some Collection<UInt8>) -> String {
        // The UTF-8 of an escape code point starts F4 8F BE/BF: a name without 0xF4 needs only validation.
        if !bytes.contains(0xF4), let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        // Scalar by scalar, so that a sequence that fails is escaped byte by byte.
        var input = Array(bytes)[...]
        while !input.isEmpty {
            let length = sequenceLength(input)
            if length > 0, let scalar = decodeScalar(input.prefix(length)), !escapes.contains(scalar.value) {
                scalars.append(scalar)
                input = input.dropFirst(length)
            } else {
                let byte = input.first!
                scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : Unicode.Scalar(escapeBase + UInt32(byte))!)
                input = input.dropFirst()
            }
        }
        return String(scalars)
    }

    /// The bytes a path string stands for.
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.utf8.contains(0xF4) else { return Array(path.utf8) }
        var result = [UInt8]()
        result.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                result.append(UInt8(scalar.value - escapeBase))
            } else {
                result.append(contentsOf: String(scalar).utf8)
            }
        }
        return result
    }

    /// Whether the path holds bytes that are not UTF-8 (or escaped code points).
    public static func hasEscapes(_ path: String) -> Bool {
        path.utf8.contains(0xF4) && path.unicodeScalars.contains { escapes.contains($0.value) }
    }

    /// Calls `body` with the path as the C string the kernel expects.
    public static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) -> Result) -> Result {
        guard path.utf8.contains(0xF4) else { return path.withCString(body) }
        var raw = bytes(path)
        raw.append(0)
        return raw.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// The path for people to read: escaped bytes as `\xNN`.
    public static func display(_ path: String) -> String {
        guard hasEscapes(path) else { return path }
        var result = ""
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                let byte = UInt8(scalar.value - escapeBase)
                result += "\\x" + String(byte, radix: 16, uppercase: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The length of the UTF-8 sequence a lead byte announces (0 for a byte that cannot lead one).
    private static func sequenceLength(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let lead = bytes.first else { return 0 }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// The scalar `bytes` encode exactly (no overlong forms, no surrogates), or nil.
    private static func decodeScalar(_ bytes: ArraySlice<UInt8>) -> Unicode.Scalar? {
        guard let text = String(validating: bytes, as: UTF8.self), text.unicodeScalars.count == 1 else { return nil }
        return text.unicodeScalars.first
    }
}
