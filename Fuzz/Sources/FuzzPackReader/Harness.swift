@testable import SprawlCore

/// A pack's objects as a history scan reads them (`PackObjectReader`): any bytes after a pack
/// header (object headers, offset deltas pointing anywhere, zlib streams, delta instructions)
/// read to an object or a `PackError`, never a crash or an allocation beyond the limits. The first
/// input byte picks the offset to start reading at.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    // "PACK", version 2, no objects; the input; a trailer of 20 zero bytes as the checksum.
    var pack: [UInt8] = [0x50, 0x41, 0x43, 0x4B, 0, 0, 0, 2, 0, 0, 0, 0]
    pack += UnsafeBufferPointer(start: data + 1, count: size - 1)
    pack += [UInt8](repeating: 0, count: 20)
    // A version-2 index of no objects that records that checksum.
    let index: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2] + [UInt8](repeating: 0, count: 1024 + 40)
    let start = 12 + Int(data[0]) % size
    pack.withUnsafeBytes { packBytes in
        index.withUnsafeBytes { indexBytes in
            guard let file = PackFile(index: indexBytes, data: packBytes, path: "fuzz", isMapped: false) else {
                preconditionFailure("the frame around the input is a valid pack")
            }
            let reader = PackObjectReader(store: PackStore(packs: [file]))
            if let object = try? reader.object(pack: 0, offset: start) {
                precondition(object.bytes.count <= PackObjectReader.maximumObject, "an object over the limit")
            }
        }
    }
    return 0
}
