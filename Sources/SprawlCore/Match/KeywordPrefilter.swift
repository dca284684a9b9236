/// Finds every occurrence of every signature keyword in one pass over the bytes, ignoring ASCII case.
///
/// This decides where PCRE2 runs, so a scan costs one pass over the bytes plus regex work near
/// keyword hits, not bytes × rules. Each position costs one unaligned load, a multiply and one
/// bit test: a 256 Kibit (32 KiB, L1-resident) bitmap indexed by a hash of the four bytes at that
/// position (bit 5 of every byte set, which folds ASCII case, and bit 7 clear: keywords are ASCII,
/// so a byte above 0x7F only has to hash like some byte, and a keyword shorter than four bytes
/// needs 64 marks per missing byte, not 128), with every keyword's first four
/// bytes marked (a shorter keyword with every byte that may follow it), rejects all but a few
/// percent of positions without a branch the CPU mispredicts. Four bytes, not three: with 1,300
/// keywords, three-byte starts such as `con`, `ser` and `---` occurred at 9% of the positions of
/// source code. Only then are the keywords in that position's bucket compared; a bucket holds the
/// keywords marked in one 64-bit word of the bitmap, so its index is the hash already computed
/// and its offsets (16 KiB) stay in cache. The tables live in memory allocated once and
/// never mutated, so the loop touches no reference counts.
final class KeywordPrefilter: @unchecked Sendable {
    // Safety (@unchecked Sendable): every pointer below is allocated and filled in init, never
    // written again, and freed in deinit; concurrent reads are safe.

    /// One occurrence: which keyword, at which byte offset.
    struct Hit: Equatable {
        var keyword: Int32
        var offset: Int
    }

    let keywords: [[UInt8]]
    /// 2^18 bits (32 KiB: it stays in the L1 cache) over `quadHash` of the first four bytes of
    /// every keyword (with every following byte for shorter ones), case folded.
    private let quadBitmap: UnsafeMutablePointer<UInt64>
    private static let tripleBits = 18
    /// One bucket of keywords per 64-bit word of the bitmap (4,096 buckets, 16 KiB of offsets).
    private static let bucketCount = (1 << tripleBits) / 64
    /// Keywords shorter than four bytes, compared directly in a buffer's last three positions.
    private let shortKeywords: [Int32]
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
        let words = (1 << Self.tripleBits) / 64
        quadBitmap = .allocate(capacity: words)
        quadBitmap.initialize(repeating: 0, count: words)
        var buckets = [[Int32]](repeating: [], count: Self.bucketCount)
        var short = [Int32]()
        for (index, keyword) in keywords.enumerated() {
            if keyword.count < 4 { short.append(Int32(index)) }
            // Indexed by raw bytes, folded as the loop folds them (bit 5 set, bit 7 clear): upper-
            // case letters then hash like lower-case ones, so one entry per keyword covers every
            // case variant (a few punctuation pairs such as `_` and DEL collide too; the exact
            // comparison sorts them out). A keyword shorter than four bytes is marked with every
            // folded byte that may follow it.
            var prefixes: [UInt32] = [UInt32(keyword[0]) | UInt32(keyword[1]) << 8]
            for position in 2..<4 {
                if position < keyword.count {
                    prefixes = prefixes.map { $0 | UInt32(keyword[position]) << UInt32(8 * position) }
                } else {
                    // Every byte as the loop folds it: 64 values cover all 256 bytes, those above
                    // 0x7F (UTF-8 may follow a keyword) included.
                    prefixes = prefixes.flatMap { prefix in Self.foldedBytes.map { prefix | $0 << UInt32(8 * position) } }
                }
            }
            for prefix in Set(prefixes) {
                let bit = Self.quadHash(prefix & 0x7F7F_7F7F | 0x2020_2020)
                quadBitmap[bit >> 6] |= 1 << UInt64(bit & 63)
                // The keywords to compare at a position are those marked in its bitmap word: the
                // bucket index is the hash the loop has already computed.
                if buckets[bit >> 6].last != Int32(index) { buckets[bit >> 6].append(Int32(index)) }
            }
        }
        shortKeywords = short
        let bucketCount = Self.bucketCount
        bucketStart = .allocate(capacity: bucketCount + 1)
        var items = [Int32]()
        for bucket in 0..<bucketCount {
            bucketStart[bucket] = Int32(items.count)
            items += buckets[bucket]
        }
        bucketStart[bucketCount] = Int32(items.count)
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
        quadBitmap.deallocate()
        bucketStart.deallocate()
        bucketItems.deallocate()
        keywordStart.deallocate()
        keywordLength.deallocate()
        keywordBytes.deallocate()
        fold.deallocate()
    }


    /// Every value a byte takes once folded (bit 5 set, bit 7 clear).
    private static let foldedBytes: [UInt32] = Array(Set((0..<256).map { UInt32($0 & 0x7F | 0x20) })).sorted()

    /// Fibonacci hashing of four bytes down to `tripleBits` bits.
    @inline(__always)
    private static func quadHash(_ quad: UInt32) -> Int {
        Int((quad &* 0x85EB_CA6B) >> UInt32(32 - tripleBits))
    }

    /// Appends every keyword occurrence in `buffer` to `hits`, in offset order.
    func hits(in buffer: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        let count = buffer.count
        guard count >= 2, let base = buffer.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let quads = quadBitmap
        // Safety: the eight-byte load at `index` reads offsets index...index+7 (< count while
        // index + 8 <= count), the four-byte one index...index+3; the last positions are read
        // byte by byte.
        var index = 0
        // Four positions per 8-byte load (each needs four bytes: index...index+6 are read), one
        // branch for the four: the common case is a load, four hashes and four bit tests.
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian & 0x7F7F_7F7F_7F7F_7F7F | 0x2020_2020_2020_2020
            let q0 = Self.quadHash(UInt32(truncatingIfNeeded: word)), q1 = Self.quadHash(UInt32(truncatingIfNeeded: word >> 8))
            let q2 = Self.quadHash(UInt32(truncatingIfNeeded: word >> 16)), q3 = Self.quadHash(UInt32(truncatingIfNeeded: word >> 24))
            let any = (quads[q0 >> 6] >> UInt64(q0 & 63)) | (quads[q1 >> 6] >> UInt64(q1 & 63))
                | (quads[q2 >> 6] >> UInt64(q2 & 63)) | (quads[q3 >> 6] >> UInt64(q3 & 63))
            if any & 1 != 0 {
                for position in index..<(index + 4) {
                    let quad = Self.quadHash(UInt32(truncatingIfNeeded: word >> UInt64(8 * (position - index))))
                    if quads[quad >> 6] & (1 << UInt64(quad & 63)) != 0 {
                        verify(at: position, bucket: quad >> 6, base: bytes, count: count, into: &hits)
                    }
                }
            }
            index += 4
        }
        while index + 4 <= count {
            let quad = Self.quadHash(base.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian & 0x7F7F_7F7F | 0x2020_2020)
            if quads[quad >> 6] & (1 << UInt64(quad & 63)) != 0 {
                verify(at: index, bucket: quad >> 6, base: bytes, count: count, into: &hits)
            }
            index += 1
        }
        // The last three positions: only keywords of two or three bytes fit; compare directly.
        while index + 1 < count {
            for keyword in shortKeywords { compare(Int(keyword), at: index, base: bytes, count: count, into: &hits) }
            index += 1
        }
    }

    @inline(__always)
    private func verify(at offset: Int, bucket: Int, base: UnsafePointer<UInt8>, count: Int, into hits: inout [Hit]) {
        var slot = Int(bucketStart[bucket])
        let end = Int(bucketStart[bucket + 1])
        while slot < end {
            compare(Int(bucketItems[slot]), at: offset, base: base, count: count, into: &hits)
            slot += 1
        }
    }

    /// Appends a hit when `keyword` occurs at `offset`, ignoring ASCII case.
    @inline(__always)
    private func compare(_ keyword: Int, at offset: Int, base: UnsafePointer<UInt8>, count: Int, into hits: inout [Hit]) {
        let length = Int(keywordLength[keyword])
        guard offset + length <= count else { return }
        let bytes = keywordBytes + Int(keywordStart[keyword])
        var position = 0
        while position < length && fold[Int(base[offset + position])] == bytes[position] { position += 1 }
        if position == length { hits.append(Hit(keyword: Int32(keyword), offset: offset)) }
    }
}
