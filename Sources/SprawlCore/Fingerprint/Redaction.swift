/// Shows enough of a secret to recognise it, never enough to use it.
///
/// Long secrets keep their first and last four characters (`ghp_…Vx3a`), medium ones two, short
/// ones nothing; the full value appears only with `--show-secrets`.
public enum Redaction {
    public static func redact(_ secret: [UInt8]) -> String {
        let text = String(decoding: secret, as: UTF8.self)
        let characters = Array(text)
        let keep = characters.count >= 20 ? 4 : characters.count >= 12 ? 2 : 0
        guard keep > 0 else { return "…" }
        return String(characters.prefix(keep)) + "…" + String(characters.suffix(keep))
    }
}
