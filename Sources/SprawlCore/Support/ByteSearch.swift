/// Searching bytes for bytes: one implementation for every stage that looks for a literal
/// (PEM markers, placeholder words, docker `"auth"` keys, the `sprawl:allow` marker).
extension Collection where Element == UInt8, Index == Int {
    /// The indices of the first occurrence of `needle` at or after `start`.
    func byteRange(of needle: [UInt8], from start: Int? = nil) -> Range<Int>? {
        guard let first = needle.first else { return nil }
        var index = start ?? startIndex
        let last = endIndex - needle.count
        while index <= last {
            if self[index] == first && self[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }

    /// Whether `needle` occurs anywhere.
    func containsBytes(_ needle: [UInt8]) -> Bool { byteRange(of: needle) != nil }
}
