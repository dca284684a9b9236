@testable import SprawlCore

/// The whole per-blob pipeline on arbitrary bytes: keystore and UTF-16 detection, keyword
/// prefilter, every rule's PCRE2 windows, validators, Kubernetes/docker/base64/hex/percent
/// decoders, canonicalizer and fingerprint. The first byte picks the path the blob is said to
/// live at, since markup, source-code and test paths take different branches.
nonisolated(unsafe) let scanner: BlobScanner = {
    let matcher = SignatureMatcher(signatures: try! SignatureLoader.builtin())
    return BlobScanner(matcher: matcher, fingerprinter: Fingerprinter(key: .init(Array("fuzz".utf8))), keepsSecrets: true)
}()

let paths = ["config/.env", "k8s/secret.yaml", "src/app.py", "web.config", "tests/fixtures/data.json", "README.md",
             ".docker/config.json", "id_rsa"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let path = paths[Int(data[0]) % paths.count]
    let buffer = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    var findings = [Finding]()
    scanner.scan(buffer, origin: .init(path: path, repository: "fuzz", source: "file"), into: &findings)
    for finding in findings {
        precondition(finding.line >= 1 && finding.column >= 1, "finding outside the buffer")
        precondition(finding.secret.map { !$0.isEmpty } ?? false, "empty secret")
    }
    _ = Canonicalizer.canonicalize(standalone: Array(buffer))
    return 0
}
