import Foundation

/// The identity of a credential: `fp1:` + hex HMAC-SHA256 of its canonical secret (contracts.md §1).
///
/// Keyed, so that an organisation can share a list of fingerprints without letting anyone confirm
/// guesses of short secrets offline: the key is `SPRAWL_FINGERPRINT_KEY` when set, else
/// `sprawl-fingerprint-v1`. The location is deliberately not hashed: the same credential in ten
/// files is one fingerprint, and that is how sprawl is found.
public struct Fingerprint: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public static let prefix = "fp1:"
    public static let defaultKey = "sprawl-fingerprint-v1"

    /// `fp1:` followed by 64 lower-case hex digits.
    public let description: String

    public init(of canonicalSecret: some Collection<UInt8>, key: Fingerprinter.Key) {
        let code = HMACSHA256.authenticationCode(for: canonicalSecret, key: key.bytes)
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in code {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        description = Self.prefix + String(decoding: hex, as: UTF8.self)
    }

    /// Parses a fingerprint as written in an inventory or ignore file; nil when malformed.
    public init?(parsing text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let hex = text.utf8.dropFirst(Self.prefix.utf8.count)
        guard hex.count == 64, hex.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else { return nil }
        description = text
    }

    public static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = Fingerprint(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "malformed fingerprint"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Computes fingerprints with one key for a whole scan.
public struct Fingerprinter: Sendable {
    /// The HMAC key; its bytes never appear in any output.
    public struct Key: Sendable {
        let bytes: [UInt8]
        public init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// Names the key without revealing it: the first 16 hex digits of the HMAC, under the
        /// key, of a fixed string. Equal for equal keys, and a guess at the key cannot be checked
        /// any faster than against a fingerprint.
        public var identifier: String {
            String(Fingerprint(of: Array("sprawl key identifier v1".utf8), key: self).description.dropFirst(Fingerprint.prefix.count).prefix(16))
        }

        /// `SPRAWL_FINGERPRINT_KEY` when set and not empty, else the default `sprawl-fingerprint-v1`.
        public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Key {
            if let value = environment["SPRAWL_FINGERPRINT_KEY"], !value.isEmpty { return Key(Array(value.utf8)) }
            return Key(Array(Fingerprint.defaultKey.utf8))
        }
    }

    public let key: Key
    public init(key: Key = .fromEnvironment()) { self.key = key }

    public func fingerprint(of canonicalSecret: some Collection<UInt8>) -> Fingerprint {
        Fingerprint(of: canonicalSecret, key: key)
    }
}
