import Foundation

/// A named offline check of a candidate secret's structure, run after the pattern matched.
///
/// Validators remove false positives that a regular expression cannot: checksums, decodable
/// structure, placeholder values.
public enum SecretValidator: String, Sendable, CaseIterable {
    /// GitHub tokens: the last 6 characters are the base62 CRC32 of the 30 before them.
    case githubCRC32 = "github-crc32"
    /// npm tokens (`npm_`): GitHub's layout, the last 6 characters the base62 CRC32 of the 30 before.
    case npmCRC32 = "npm-crc32"
    /// AWS access key ids: after the 4-character type prefix, 16 characters of the base32
    /// alphabet (A–Z, 2–7), which encode the account and key; 0, 1, 8 and 9 never occur.
    case awsKeyID = "aws-key-id"
    /// Discord bot tokens: the first of three parts is base64url of the bot's user id, a snowflake
    /// of 17 to 20 digits.
    case discordBotToken = "discord-bot-token"
    /// A JSON Web Token whose header decodes to a JSON object with an `alg`.
    case jwt
    /// The value of an assignment to a secret-like name: placeholder filter and entropy thresholds.
    case assignedSecret = "assigned-secret"

    /// What a failed check means: nil, the match is dropped; a confidence, the match is kept at
    /// that confidence. npm documents its `npm_` prefix but not the checksum layout, so a token
    /// that fails it is still reported, at medium rather than high confidence.
    public var confidenceWhenFailed: Confidence? {
        self == .npmCRC32 ? .medium : nil
    }

    /// Whether `secret` passes the check.
    public func accepts(_ secret: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .githubCRC32, .npmCRC32: return Self.hasValidGitHubChecksum(secret)
        case .awsKeyID:
            return secret.count == 20 && secret.dropFirst(4).allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 50 && $0 <= 55) }
        case .jwt: return Self.isJWT(secret)
        case .discordBotToken:
            guard let first = secret.split(separator: UInt8(ascii: "."), maxSplits: 1).first,
                  let id = Base64.decode(first, urlSafe: true) else { return false }
            return (17...20).contains(id.count) && id.allSatisfy { $0 >= 48 && $0 <= 57 }
        case .assignedSecret: return EntropyDetector.isLikelySecret(secret)
        }
    }

    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    static func hasValidGitHubChecksum(_ token: ArraySlice<UInt8>) -> Bool {
        guard let underscore = token.lastIndex(of: UInt8(ascii: "_")) else { return false }
        let payload = token[(underscore + 1)...]
        guard payload.count == 36 else { return false }
        let body = payload.prefix(30), checksum = payload.suffix(6)
        var value = CRC32.checksum(body)
        var digits = [UInt8](repeating: base62[0], count: 6)
        var position = 5
        while value > 0 && position >= 0 {
            digits[position] = base62[Int(value % 62)]
            value /= 62
            position -= 1
        }
        return value == 0 && digits.elementsEqual(checksum)
    }

    static func isJWT(_ token: ArraySlice<UInt8>) -> Bool {
        let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64.decode(parts[0], urlSafe: true),
              let object = try? JSONSerialization.jsonObject(with: Data(header)) as? [String: Any] else { return false }
        return object["alg"] != nil
    }
}

/// CRC-32 (IEEE 802.3, reflected), as zlib computes it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
