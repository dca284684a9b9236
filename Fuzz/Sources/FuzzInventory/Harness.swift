@testable import SprawlCore

/// The owner inventory parser (YAML and JSON): any input gives an inventory or a located error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try InventoryLoader.parse(text, file: "inventory.yaml", today: Day(parsing: "2026-12-01")!)
    } catch {
        precondition(error.line >= 0, "error without a line")
        precondition(!error.field.isEmpty, "error without a field")
    }
    return 0
}
