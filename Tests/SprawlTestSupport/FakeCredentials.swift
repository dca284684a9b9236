import Foundation

/// Generated fake credentials in real formats, for tests. Never real keys: random bodies, and for
/// GitHub tokens a checksum computed here so the offline validator accepts them.
public struct FakeCredentials {
    private var generator: SplitMix

    public init(seed: UInt64 = 42) { generator = SplitMix(seed: seed) }

    static let alphanumeric = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    public mutating func random(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters[Int(generator.next() % UInt64(characters.count))] })
    }

    public mutating func alphanumeric(_ count: Int) -> String {
        String((0..<count).map { _ in Self.alphanumeric[Int(generator.next() % 62)] })
    }

    /// A `ghp_` (or other prefix) token with a valid CRC32 checksum.
    public mutating func githubToken(prefix: String = "ghp_") -> String {
        let body = alphanumeric(30)
        var value = crc32(Array(body.utf8))
        var digits = [Character](repeating: "0", count: 6)
        var index = 5
        while value > 0 && index >= 0 {
            digits[index] = Self.base62[Int(value % 62)]
            value /= 62
            index -= 1
        }
        return prefix + body + String(digits)
    }

    public mutating func awsSecretKey() -> String { random(40, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+") }
    public mutating func awsAccessKeyID() -> String { "AKIA" + random(16, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") }
    public mutating func stripeLiveKey() -> String { "sk_live_" + alphanumeric(40) }
    public mutating func slackBotToken() -> String {
        "xoxb-\(100_000_000_000 + generator.next() % 800_000_000_000)-\(100_000_000_000 + generator.next() % 800_000_000_000)-" + alphanumeric(24)
    }
    public mutating func password(_ count: Int = 24) -> String { random(count, from: "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%^*") }

    /// A PEM block with a random body of a 1024-bit RSA key's size (not a usable key).
    public mutating func pemPrivateKey() -> String {
        let body = Data((0..<608).map { _ in UInt8(truncatingIfNeeded: generator.next()) }).base64EncodedString()
        var lines = [String]()
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        return "-----BEGIN RSA PRIVATE KEY-----\n" + lines.joined(separator: "\n") + "\n-----END RSA PRIVATE KEY-----\n"
    }

    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

/// A small deterministic generator, so every test run uses the same fakes and a failing random
/// case can be replayed.
public struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
