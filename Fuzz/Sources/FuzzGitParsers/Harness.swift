@testable import SprawlCore

/// git's machine output as sprawl reads it: `log --raw -z` records, `cat-file --batch-check`
/// lines, `ls-tree -r -z -l` and `ls-tree -r -z` records, author dates, and pack deltas applied to
/// a base. Any bytes parse to something or nothing (or a `PackError`), never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for introduction in GitHistorySource.parseLog(bytes) {
        precondition(!introduction.blob.isEmpty, "introduction without a blob")
    }
    for entry in GitHistorySource.parseBatchCheck(bytes, keeping: nil) { precondition(entry.size >= 0, "negative size") }
    for entry in GitTreeSource.parseTree(bytes) { precondition(entry.size >= 0, "negative size") }
    for blob in GitHistorySource.parseTreeBlobs(bytes) { precondition(!blob.isEmpty, "empty blob id") }
    _ = GitDate.seconds(String(decoding: bytes, as: UTF8.self))
    let base = Array(bytes.prefix(64))
    if let target = try? PackObjectReader.apply(bytes, to: base, pack: "fuzz", offset: 0) {
        precondition(target.count <= 65 * bytes.count, "a delta made more than its copies of a 64-byte base and its inserts")
    }
    return 0
}
