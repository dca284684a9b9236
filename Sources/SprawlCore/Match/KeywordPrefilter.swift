/// Finds every occurrence of every signature keyword in one pass over the bytes, ignoring ASCII case.
///
/// This decides where PCRE2 runs, so a scan costs one pass over the bytes plus regex work near
/// keyword hits, not bytes × rules. The table is indexed by the first two (case-folded) bytes of
/// each keyword: a 64 Kibit bitmap rejects almost every position with one load, and the few
/// candidates are compared against the keywords that start with that pair.
struct KeywordPrefilter: Sendable {
    /// One occurrence: which keyword, at which byte offset.
    struct Hit: Equatable {
        var keyword: Int32
        var offset: Int
    }

    let keywords: [[UInt8]]
    private let bitmap: [UInt64]
    private let bucketStart: [Int32]
    private let bucketItems: [Int32]
    private static let fold: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in 0..<256 {
            let value = UInt8(byte)
            table[byte] = value >= 65 && value <= 90 ? value + 32 : value
        }
        return table
    }()

    /// - Parameter keywords: lower-cased ASCII literals of at least two bytes.
    init(keywords: [[UInt8]]) {
        precondition(keywords.allSatisfy { $0.count >= 2 }, "keywords must have at least two bytes")
        self.keywords = keywords
        var buckets = [[Int32]](repeating: [], count: 65536)
        for (index, keyword) in keywords.enumerated() {
            buckets[Int(keyword[0]) << 8 | Int(keyword[1])].append(Int32(index))
        }
        var bitmap = [UInt64](repeating: 0, count: 1024)
        var start = [Int32](repeating: 0, count: 65537)
        var items = [Int32]()
        for pair in 0..<65536 {
            start[pair] = Int32(items.count)
            if !buckets[pair].isEmpty {
                bitmap[pair >> 6] |= 1 << UInt64(pair & 63)
                // Longer keywords first is irrelevant for correctness; keep definition order.
                items += buckets[pair]
            }
        }
        start[65536] = Int32(items.count)
        self.bitmap = bitmap
        self.bucketStart = start
        self.bucketItems = items
    }

    /// Appends every keyword occurrence in `buffer` to `hits`, in offset order.
    func hits(in buffer: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        let count = buffer.count
        guard count >= 2, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        // Safety: every read below is at an index < count, checked by the loop bounds; the tables
        // are read through their own buffers, whose sizes are fixed at init (1024, 65537, 256).
        bitmap.withUnsafeBufferPointer { bitmap in
            bucketStart.withUnsafeBufferPointer { bucketStart in
                Self.fold.withUnsafeBufferPointer { fold in
                    var previous = Int(fold[Int(base[0])])
                    var index = 1
                    while index < count {
                        let current = Int(fold[Int(base[index])])
                        let pair = previous << 8 | current
                        previous = current
                        if bitmap[pair >> 6] & (1 << UInt64(pair & 63)) != 0 {
                            verify(pair: pair, at: index - 1, base: base, count: count, fold: fold,
                                   bucketStart: bucketStart, into: &hits)
                        }
                        index += 1
                    }
                }
            }
        }
    }

    @inline(__always)
    private func verify(pair: Int, at offset: Int, base: UnsafePointer<UInt8>, count: Int,
                        fold: UnsafeBufferPointer<UInt8>, bucketStart: UnsafeBufferPointer<Int32>,
                        into hits: inout [Hit]) {
        for slot in Int(bucketStart[pair])..<Int(bucketStart[pair + 1]) {
            let keywordIndex = bucketItems[slot]
            let keyword = keywords[Int(keywordIndex)]
            guard offset + keyword.count <= count else { continue }
            var matched = true
            var position = 2
            while position < keyword.count {
                if fold[Int(base[offset + position])] != keyword[position] {
                    matched = false
                    break
                }
                position += 1
            }
            if matched { hits.append(Hit(keyword: keywordIndex, offset: offset)) }
        }
    }
}
