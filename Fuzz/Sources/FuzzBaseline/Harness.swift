import Foundation
@testable import SprawlCore

/// Baseline reports: any JSON (or not) gives fingerprints or an error naming the field.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? Baseline(data: Data(bytes: data, count: size), file: "baseline.json")
    return 0
}
