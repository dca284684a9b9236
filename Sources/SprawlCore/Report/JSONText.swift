/// A JSON value, written the way reports are: sorted keys, two-space indentation, `" : "` between
/// a key and its value, slashes unescaped — the layout of Foundation's pretty-printed
/// `JSONEncoder` output, which earlier reports used, so reports stay byte-for-byte the same.
///
/// Written directly rather than through `JSONEncoder`: a report of 200,000 findings took the
/// encoder ~70 µs per finding (boxing every field), many times the cost of finding them.
public indirect enum JSONText: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONText])
    /// An array whose `count` elements are made as they are written, so a report of a million
    /// findings never holds a million element trees at once.
    case generated(count: Int, element: @Sendable (Int) -> JSONText)
    /// Keys are sorted when written; a nil value omits its key (an absent optional).
    case object([(String, JSONText?)])

    /// The serialized text, with a final newline.
    public func rendered() -> String {
        var out = [UInt8]()
        out.reserveCapacity(4096)
        write(into: &out, depth: 0)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], depth: Int) {
        switch self {
        case .string(let text): Self.writeString(text, into: &out)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            Self.writeContainer("[", "]", items, depth: depth, into: &out) { item, out in item.write(into: &out, depth: depth + 1) }
        case .generated(let count, let element):
            Self.writeContainer("[", "]", 0..<count, depth: depth, into: &out) { index, out in
                element(index).write(into: &out, depth: depth + 1)
            }
        case .object(let members):
            let present = members.compactMap { key, value in value.map { (key, $0) } }.sorted { $0.0 < $1.0 }
            Self.writeContainer("{", "}", present, depth: depth, into: &out) { member, out in
                Self.writeString(member.0, into: &out)
                out.append(contentsOf: " : ".utf8)
                member.1.write(into: &out, depth: depth + 1)
            }
        }
    }

    /// `open`, one element per line (indented, comma-separated), `close`; an empty container is
    /// written with a blank line inside, as Foundation's encoder wrote it.
    private static func writeContainer<Elements: Collection>(_ open: Character, _ close: Character, _ elements: Elements, depth: Int,
                                                             into out: inout [UInt8], _ element: (Elements.Element, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: open.unicodeScalars.first!))
        out.append(0x0A)
        var remaining = elements.count
        for item in elements {
            indent(depth + 1, into: &out)
            element(item, &out)
            remaining -= 1
            if remaining > 0 { out.append(UInt8(ascii: ",")) }
            out.append(0x0A)
        }
        if elements.isEmpty { out.append(0x0A) }
        indent(depth, into: &out)
        out.append(UInt8(ascii: close.unicodeScalars.first!))
    }

    private static func indent(_ depth: Int, into out: inout [UInt8]) {
        for _ in 0..<(depth * 2) { out.append(0x20) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped, everything else raw UTF-8.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension Optional where Wrapped == String {
    /// The value, or an omitted key.
    var json: JSONText? { map(JSONText.string) }
}

extension Optional where Wrapped == String {
    /// The value, or JSON `null` (a key the contract always shows).
    var jsonOrNull: JSONText { map(JSONText.string) ?? .null }
}
