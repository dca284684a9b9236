@testable import SprawlCore

/// What the context stage reads from a file with findings: Kubernetes namespaces per YAML
/// document, GitHub Actions job environments, framework environment variables; and what it reads
/// from paths. The first input byte picks the path; any content gives an environment or none for
/// every line, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let paths = [".github/workflows/deploy.yml", "k8s/prod/secret.yaml", "deploy/.env.production", "Dockerfile",
                 "config/app.properties", "src/app.swift"]
    let path = paths[Int(data[0]) % paths.count]
    let content = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let context = EnvironmentInContent(content, path: path)
    for line in 0...(content.count(where: { $0 == 0x0A }) + 2) { _ = context.environment(atLine: line) }
    // The content read as a path: any bytes name an environment, an automation kind or neither.
    let text = String(decoding: content, as: UTF8.self)
    _ = Environment.of(path: text)
    _ = Automation.of(path: text)
    return 0
}
