@testable import SprawlCore

/// Rule files: sprawl YAML, Nosey Parker / Kingfisher YAML (the first byte chooses) and
/// gitleaks TOML. Rules that load are compiled, and their examples checked, as `signatures check`
/// and `--signatures` do, so PCRE2 compile errors must come back as located errors.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let signatures: [Signature]
    do {
        signatures = data[0] & 1 == 0 ? try SignatureLoader.rules(in: text, file: "rules.yml")
            : try SignatureLoader.gitleaksRules(in: text, file: "gitleaks.toml")
    } catch {
        precondition(!error.description.isEmpty, "error without a message")
        return 0
    }
    let matcher = SignatureMatcher(signatures: signatures)
    guard (try? matcher.compileAll()) != nil else { return 0 }
    _ = SignatureChecker(matcher: matcher).check()
    return 0
}
