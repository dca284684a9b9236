@testable import SprawlCore

/// `.sprawlignore` files: parsed, then every entry applied to a finding at a few paths.
let finding = Finding(rule: "generic-password", kind: .apiKey, path: "src/a/b.env", repository: "fuzz", line: 1, column: 1,
                      fingerprint: Fingerprint(parsing: "fp1:" + String(repeating: "ab", count: 32))!, redacted: "ab…",
                      source: "file", confidence: .low)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let ignore = try? IgnoreFile(text: text, file: ".sprawlignore") else { return 0 }
    for path in ["src/a/b.env", "b.env", "deep/" + String(repeating: "x/", count: 40) + "b.env"] {
        _ = ignore.covers(finding, pathInRepository: path)
    }
    return 0
}
