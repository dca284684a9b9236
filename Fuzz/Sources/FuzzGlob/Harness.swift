@testable import SprawlCore

/// Glob patterns (`--include`, `--exclude`, `.sprawlignore` paths): the first line is the
/// pattern, the rest paths to match. Backtracking patterns (`*a*a*a*…`) must stay fast: libFuzzer's
/// -timeout catches one that does not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let pattern = lines.first else { return 0 }
    for anchored in [false, true] {
        let glob = Glob(pattern, anchored: anchored)
        for path in lines.dropFirst() {
            _ = glob.matches(path)
            _ = glob.matchesExactly(path)
        }
    }
    return 0
}
