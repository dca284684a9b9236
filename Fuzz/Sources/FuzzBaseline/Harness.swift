import Foundation
@testable import SprawlCore

/// Reports read back: as a baseline and as a shard to merge, any JSON (or not) gives fingerprints
/// and findings or an error naming the field.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let report = Data(bytes: data, count: size)
    _ = try? Baseline(data: report, file: "baseline.json")
    var merger = ReportMerger()
    if (try? merger.add(report, file: "shard.json")) != nil {
        let (result, _) = merger.result()
        _ = ScanReport(result: result, inventory: nil, keyID: merger.keyID, policy: merger.policy)
    }
    return 0
}
