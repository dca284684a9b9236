/// Strict base64 decoding of bytes (standard or URL-safe alphabet, padding optional).
///
/// Strict on purpose: the decoders use it to decide whether a value *is* base64, so any byte
/// outside the alphabet, or a length no encoder produces, is a "no".
enum Base64 {
    private static let table: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = Int8(index)
        }
        return table
    }()

    static func decode<Bytes: Collection<UInt8>>(_ encoded: Bytes, urlSafe: Bool = false) -> [UInt8]? {
        var input = Array(encoded)
        while input.last == UInt8(ascii: "=") { input.removeLast() }
        guard input.count % 4 != 1 else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0, bits = 0
        for var byte in input {
            if urlSafe {
                if byte == UInt8(ascii: "-") { byte = UInt8(ascii: "+") } else if byte == UInt8(ascii: "_") { byte = UInt8(ascii: "/") }
                else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") { return nil }
            }
            let value = table[Int(byte)]
            guard value >= 0 else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

}
