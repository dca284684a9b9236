#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides whether the value assigned to a secret-like name (`password`, `token`, `api_key`, ...)
/// looks like a real secret rather than a placeholder, a reference or a word.
///
/// The generic signatures find the assignments (env, YAML, JSON, properties, INI, XML, Terraform,
/// shell, source code); this type scores the value. Thresholds depend on the value's charset,
/// because a random hex string carries at most 4 bits per byte and a random base64 one 6:
///
/// | charset | min length | min entropy (bits/byte) |
/// | --- | --- | --- |
/// | hex digits only | 16 | 3.0 |
/// | letters and digits (base64, base62, base32) | 10 | 3.0, and `0.8 × log2(length)` up to 3.6 |
/// | with punctuation | 8 | 2.8, and `0.75 × log2(length)` up to 3.5 |
///
/// The `log2(length)` term follows the largest entropy a string of that length can have, so short
/// random values pass and long repetitive ones do not. Values must mix at least two character
/// classes (lower, upper, digit, punctuation), unless long and of high entropy. The placeholder
/// filter rejects template references (`${VAR}`, `{{ var }}`, `<token>`, `%(x)s`, `$VAR`), well-known
/// stand-ins (`changeme`, `example`, `dummy`, `xxxx`, `****`, `redacted`, ...), runs of one
/// character, identifiers, names made of capitalized words and member accesses, paths and URLs.
/// Values typed by hand (`abcdef123456…`) pass here; where they count is the scanner's decision
/// (see `PlaceholderFilter.looksTyped`).
public enum EntropyDetector {
    /// Shannon entropy of `bytes`, in bits per byte (0 for empty input).
    public static func shannonEntropy<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var entropy = 0.0
        for count in counts where count > 0 {
            let probability = Double(count) / total
            entropy -= probability * log2(probability)
        }
        return entropy
    }

    /// The character classes present, which decide the thresholds.
    struct Profile {
        var lower = false, upper = false, digit = false, punctuation = false, other = false
        var isHex = true

        init<Bytes: Collection<UInt8>>(_ value: Bytes) {
            for byte in value {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    lower = true
                    if byte > UInt8(ascii: "f") { isHex = false }
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    upper = true
                    if byte > UInt8(ascii: "F") { isHex = false }
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
                case 0x21...0x7E: punctuation = true; isHex = false
                default: other = true; isHex = false
                }
            }
        }

        var classCount: Int { [lower, upper, digit, punctuation].filter { $0 }.count }
    }

    /// Whether `value` (the bytes of an assigned value, already unquoted) is likely a secret.
    public static func isLikelySecret<Bytes: Collection<UInt8>>(_ value: Bytes) -> Bool {
        let bytes = Array(value)
        guard bytes.count >= 8, bytes.count <= 256, !PlaceholderFilter.isPlaceholder(bytes) else { return false }
        let profile = Profile(bytes)
        if profile.other { return false }  // white space, control bytes or non-ASCII: prose, not a key
        let entropy = shannonEntropy(bytes)
        let lengthBound = log2(Double(bytes.count))
        if profile.isHex && profile.digit {
            return bytes.count >= 16 && entropy >= 3.0
        }
        if !profile.punctuation {
            guard bytes.count >= 10, entropy >= max(3.0, min(3.6, 0.8 * lengthBound)) else { return false }
            // One class (all letters, all digits) is a word or a number unless long and random.
            return profile.classCount >= 2 || (bytes.count >= 20 && entropy >= 4.0)
        }
        guard entropy >= max(2.8, min(3.5, 0.75 * lengthBound)) else { return false }
        return profile.classCount >= 3 || (profile.classCount == 2 && bytes.count >= 16 && entropy >= 3.8)
    }
}
