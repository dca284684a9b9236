/// Finds every occurrence of every signature keyword in one pass over the bytes, ignoring ASCII case.
///
/// This decides where PCRE2 runs, so a scan costs one pass over the bytes plus regex work near
/// keyword hits, not bytes × rules. Each position costs one two-byte load and one bitmap test in
/// the common case: a 64 Kibit bitmap indexed by the byte pair at that position (every case
/// variant of each keyword's first two bytes marked) rejects almost all of them; a second bitmap over a hash of the first three bytes rejects most of the rest (common
/// pairs such as `to` or `pa` start keywords, `tok` and `pas` much less often); only then are the
/// keywords of that pair compared. The tables live in memory allocated once and never mutated, so
/// the loop touches no reference counts.
final class KeywordPrefilter: @unchecked Sendable {
    // Safety (@unchecked Sendable): every pointer below is allocated and filled in init, never
    // written again, and freed in deinit; concurrent reads are safe.

    /// One occurrence: which keyword, at which byte offset.
    struct Hit: Equatable {
        var keyword: Int32
        var offset: Int
    }

    let keywords: [[UInt8]]
    private let pairBitmap: UnsafeMutablePointer<UInt64>
    private let tripleBitmap: UnsafeMutablePointer<UInt64>
    private let bucketStart: UnsafeMutablePointer<Int32>
    private let bucketItems: UnsafeMutablePointer<Int32>
    private let keywordStart: UnsafeMutablePointer<Int32>
    private let keywordLength: UnsafeMutablePointer<Int32>
    private let keywordBytes: UnsafeMutablePointer<UInt8>
    private let fold: UnsafeMutablePointer<UInt8>

    /// - Parameter keywords: lower-cased ASCII literals of at least two bytes.
    init(keywords: [[UInt8]]) {
        precondition(keywords.allSatisfy { $0.count >= 2 }, "keywords must have at least two bytes")
        self.keywords = keywords
        fold = .allocate(capacity: 256)
        for byte in 0..<256 { fold[byte] = byte >= 65 && byte <= 90 ? UInt8(byte + 32) : UInt8(byte) }
        pairBitmap = .allocate(capacity: 1024)
        pairBitmap.initialize(repeating: 0, count: 1024)
        tripleBitmap = .allocate(capacity: 1024)
        tripleBitmap.initialize(repeating: 0, count: 1024)
        var buckets = [[Int32]](repeating: [], count: 65536)
        for (index, keyword) in keywords.enumerated() {
            buckets[Int(keyword[0]) << 8 | Int(keyword[1])].append(Int32(index))
            // The bitmaps are indexed by the raw bytes, so every ASCII case variant is marked and the
            // scanning loop never folds case; only candidates are folded, in `verify`.
            for first in Self.caseVariants(keyword[0]) {
                for second in Self.caseVariants(keyword[1]) {
                    let pair = Int(second) << 8 | Int(first)  // little-endian load order
                    pairBitmap[pair >> 6] |= 1 << UInt64(pair & 63)
                    // A two-byte keyword matches whatever the third byte is: mark every triple.
                    let thirds: [UInt8] = keyword.count > 2 ? Self.caseVariants(keyword[2]) : (0..<256).map { UInt8($0) }
                    for third in thirds {
                        let triple = Self.tripleHash(pair, third)
                        tripleBitmap[triple >> 6] |= 1 << UInt64(triple & 63)
                    }
                }
            }
        }
        bucketStart = .allocate(capacity: 65537)
        var items = [Int32]()
        for pair in 0..<65536 {
            bucketStart[pair] = Int32(items.count)
            items += buckets[pair]
        }
        bucketStart[65536] = Int32(items.count)
        bucketItems = .allocate(capacity: max(1, items.count))
        for (index, item) in items.enumerated() { bucketItems[index] = item }
        keywordStart = .allocate(capacity: max(1, keywords.count))
        keywordLength = .allocate(capacity: max(1, keywords.count))
        let total = keywords.reduce(0) { $0 + $1.count }
        keywordBytes = .allocate(capacity: max(1, total))
        var offset = 0
        for (index, keyword) in keywords.enumerated() {
            keywordStart[index] = Int32(offset)
            keywordLength[index] = Int32(keyword.count)
            for byte in keyword {
                keywordBytes[offset] = byte
                offset += 1
            }
        }
    }

    deinit {
        for pointer in [pairBitmap, tripleBitmap] { pointer.deallocate() }
        bucketStart.deallocate()
        bucketItems.deallocate()
        keywordStart.deallocate()
        keywordLength.deallocate()
        keywordBytes.deallocate()
        fold.deallocate()
    }

    private static func caseVariants(_ byte: UInt8) -> [UInt8] {
        byte >= 97 && byte <= 122 ? [byte, byte - 32] : [byte]
    }

    @inline(__always)
    private static func tripleHash(_ pair: Int, _ third: UInt8) -> Int {
        (pair &* 0x9E37 ^ Int(third) &* 0x2B5) & 0xFFFF
    }

    /// Appends every keyword occurrence in `buffer` to `hits`, in offset order.
    func hits(in buffer: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        let count = buffer.count
        guard count >= 2, let base = buffer.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        // Safety: each two-byte load reads offsets `index` and `index + 1`, both < count (the loop
        // bound); the third byte is read only when `index + 2 < count`. Bitmap indices are 16-bit.
        var index = 0
        let last = count - 1
        while index < last {
            let pair = Int(base.loadUnaligned(fromByteOffset: index, as: UInt16.self).littleEndian)
            if pairBitmap[pair >> 6] & (1 << UInt64(pair & 63)) != 0 {
                let third = index + 2 < count ? bytes[index + 2] : 0
                let triple = Self.tripleHash(pair, third)
                if tripleBitmap[triple >> 6] & (1 << UInt64(triple & 63)) != 0 {
                    verify(at: index, base: bytes, count: count, into: &hits)
                }
            }
            index += 1
        }
    }

    @inline(__always)
    private func verify(at offset: Int, base: UnsafePointer<UInt8>, count: Int, into hits: inout [Hit]) {
        let pair = Int(fold[Int(base[offset])]) << 8 | Int(fold[Int(base[offset + 1])])
        var slot = Int(bucketStart[pair])
        let end = Int(bucketStart[pair + 1])
        while slot < end {
            let keyword = Int(bucketItems[slot])
            slot += 1
            let length = Int(keywordLength[keyword])
            guard offset + length <= count else { continue }
            let bytes = keywordBytes + Int(keywordStart[keyword])
            var position = 2
            while position < length && fold[Int(base[offset + position])] == bytes[position] { position += 1 }
            if position == length { hits.append(Hit(keyword: Int32(keyword), offset: offset)) }
        }
    }
}
