/// Finds every occurrence of every signature keyword in one pass over the bytes, ignoring ASCII case.
///
/// Keywords of four bytes or more are found by their first four bytes, shorter ones by their first
/// three (two-byte ones by every third byte): with 1,300 keywords, three-byte starts such as `con`,
/// `ser` and `---` occurred at 9% of positions of source code, four-byte ones far less often.
///
/// This decides where PCRE2 runs, so a scan costs one pass over the bytes plus regex work near
/// keyword hits, not bytes × rules. Each position costs one unaligned load, a multiply and one
/// bit test: a 256 Kibit (32 KiB, L1-resident) bitmap indexed by a hash of the three bytes at
/// that position, with every ASCII case variant of every keyword's first three bytes marked,
/// rejects all but a fraction of a percent of positions without a branch the CPU mispredicts
/// (a two-byte prefilter passed common pairs such as `to` and `pa` one time in ten); only then
/// are the keywords in that position's bucket compared. Buckets are keyed by the same hash of the
/// case-folded first three bytes, so `con` in `const` is compared with the few keywords that start
/// with `con`, not with every keyword that starts with `co`. The tables live in memory
/// allocated once and never mutated, so the loop touches no reference counts.
final class KeywordPrefilter: @unchecked Sendable {
    // Safety (@unchecked Sendable): every pointer below is allocated and filled in init, never
    // written again, and freed in deinit; concurrent reads are safe.

    /// One occurrence: which keyword, at which byte offset.
    struct Hit: Equatable {
        var keyword: Int32
        var offset: Int
    }

    let keywords: [[UInt8]]
    /// 2^18 bits (32 KiB: it stays in the L1 cache) over `tripleHash` of the first three bytes of every keyword's case variants.
    private let tripleBitmap: UnsafeMutablePointer<UInt64>
    /// The same over `quadHash` of the first four bytes of keywords of four bytes or more.
    private let quadBitmap: UnsafeMutablePointer<UInt64>
    private static let tripleBits = 18
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
        tripleBitmap = .allocate(capacity: words)
        tripleBitmap.initialize(repeating: 0, count: words)
        quadBitmap = .allocate(capacity: words)
        quadBitmap.initialize(repeating: 0, count: words)
        var buckets = [[Int32]](repeating: [], count: 1 << Self.tripleBits)
        for (index, keyword) in keywords.enumerated() {
            // A two-byte keyword belongs to the bucket of every (folded) third byte.
            var foldedThirds: [UInt8] = []
            if keyword.count > 2 {
                foldedThirds = [keyword[2]]
            } else {
                for byte in 0..<256 where !(65...90).contains(byte) { foldedThirds.append(UInt8(byte)) }
            }
            for third in foldedThirds {
                let bucket = Self.tripleHash(UInt32(keyword[0]) | UInt32(keyword[1]) << 8 | UInt32(third) << 16)
                if buckets[bucket].last != Int32(index) { buckets[bucket].append(Int32(index)) }
            }
            // Indexed by raw bytes, so every ASCII case variant is marked and the loop never folds
            // case; a two-byte keyword matches whatever follows it, so every third byte is marked.
            if keyword.count >= 4 {
                for first in Self.caseVariants(keyword[0]) {
                    for second in Self.caseVariants(keyword[1]) {
                        for third in Self.caseVariants(keyword[2]) {
                            for fourth in Self.caseVariants(keyword[3]) {
                                let quad = UInt32(first) | UInt32(second) << 8 | UInt32(third) << 16 | UInt32(fourth) << 24
                                let bit = Self.quadHash(quad)
                                quadBitmap[bit >> 6] |= 1 << UInt64(bit & 63)
                            }
                        }
                    }
                }
                continue
            }
            let thirds: [UInt8] = keyword.count > 2 ? Self.caseVariants(keyword[2]) : (0..<256).map { UInt8($0) }
            for first in Self.caseVariants(keyword[0]) {
                for second in Self.caseVariants(keyword[1]) {
                    for third in thirds {
                        let triple = UInt32(first) | UInt32(second) << 8 | UInt32(third) << 16
                        let bit = Self.tripleHash(triple)
                        tripleBitmap[bit >> 6] |= 1 << UInt64(bit & 63)
                    }
                }
            }
        }
        let bucketCount = 1 << Self.tripleBits
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
        tripleBitmap.deallocate()
        quadBitmap.deallocate()
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

    /// Fibonacci hashing of the three bytes (the low 24 bits) down to `tripleBits` bits.
    @inline(__always)
    private static func tripleHash(_ triple: UInt32) -> Int {
        Int(((triple & 0x00FF_FFFF) &* 0x9E37_79B1) >> UInt32(32 - tripleBits))
    }

    /// Fibonacci hashing of four bytes down to `tripleBits` bits.
    @inline(__always)
    private static func quadHash(_ quad: UInt32) -> Int {
        let mixed = ((quad &* 0x9E37_79B1) ^ (quad >> 15)) &* 0x85EB_CA6B
        return Int(mixed >> UInt32(32 - tripleBits))
    }

    /// Appends every keyword occurrence in `buffer` to `hits`, in offset order.
    func hits(in buffer: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        let count = buffer.count
        guard count >= 2, let base = buffer.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let bitmap = tripleBitmap, quads = quadBitmap
        // Safety: the eight-byte load at `index` reads offsets index...index+7 (< count while
        // index + 8 <= count), the four-byte one index...index+3; the last positions are read
        // byte by byte.
        var index = 0
        // Four positions per 8-byte load (each needs four bytes: index...index+6 are read), one
        // branch for the four: the common case is a load, eight hashes and eight bit tests.
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian
            var any: UInt64 = 0
            for shift in stride(from: UInt64(0), to: 32, by: 8) {
                let triple = Self.tripleHash(UInt32(truncatingIfNeeded: word >> shift))
                let quad = Self.quadHash(UInt32(truncatingIfNeeded: word >> shift))
                any |= (bitmap[triple >> 6] >> UInt64(triple & 63)) | (quads[quad >> 6] >> UInt64(quad & 63))
            }
            if any & 1 != 0 {
                for position in index..<(index + 4) {
                    let window = UInt32(truncatingIfNeeded: word >> UInt64(8 * (position - index)))
                    let triple = Self.tripleHash(window), quad = Self.quadHash(window)
                    if bitmap[triple >> 6] & (1 << UInt64(triple & 63)) != 0 || quads[quad >> 6] & (1 << UInt64(quad & 63)) != 0 {
                        verify(at: position, base: bytes, count: count, into: &hits)
                    }
                }
            }
            index += 4
        }
        while index + 4 <= count {
            let window = base.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian
            let triple = Self.tripleHash(window), quad = Self.quadHash(window)
            if bitmap[triple >> 6] & (1 << UInt64(triple & 63)) != 0 || quads[quad >> 6] & (1 << UInt64(quad & 63)) != 0 {
                verify(at: index, base: bytes, count: count, into: &hits)
            }
            index += 1
        }
        // Fewer than four bytes left: only keywords of two or three bytes fit.
        while index + 1 < count {
            var tail: UInt32 = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
            if index + 2 < count { tail |= UInt32(bytes[index + 2]) << 16 }
            let bit = Self.tripleHash(tail)
            if bitmap[bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                verify(at: index, base: bytes, count: count, into: &hits)
            }
            index += 1
        }
    }

    @inline(__always)
    private func verify(at offset: Int, base: UnsafePointer<UInt8>, count: Int, into hits: inout [Hit]) {
        let third = offset + 2 < count ? UInt32(fold[Int(base[offset + 2])]) : 0
        let bucket = Self.tripleHash(UInt32(fold[Int(base[offset])]) | UInt32(fold[Int(base[offset + 1])]) << 8 | third << 16)
        var slot = Int(bucketStart[bucket])
        let end = Int(bucketStart[bucket + 1])
        while slot < end {
            let keyword = Int(bucketItems[slot])
            slot += 1
            let length = Int(keywordLength[keyword])
            guard offset + length <= count else { continue }
            let bytes = keywordBytes + Int(keywordStart[keyword])
            // Buckets are hashed: a keyword of another triple may share one, so compare it all.
            var position = 0
            while position < length && fold[Int(base[offset + position])] == bytes[position] { position += 1 }
            if position == length { hits.append(Hit(keyword: Int32(keyword), offset: offset)) }
        }
    }
}
