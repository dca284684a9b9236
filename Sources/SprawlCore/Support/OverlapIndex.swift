/// Answers "does this range overlap any of those?" in O(log n), where comparing against every
/// range would make a file with many matches and many encoded values quadratic.
///
/// Ranges are sorted by lower bound with a running maximum of upper bounds: the ranges that start
/// before a query's end are a prefix, and one of them reaches past the query's start exactly
/// when the prefix's largest upper bound does.
struct OverlapIndex {
    private let lowerBounds: [Int]
    private let reach: [Int]

    init(_ ranges: some Sequence<Range<Int>>) {
        let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        lowerBounds = sorted.map(\.lowerBound)
        var reach = [Int]()
        reach.reserveCapacity(sorted.count)
        var furthest = Int.min
        for range in sorted {
            furthest = max(furthest, range.upperBound)
            reach.append(furthest)
        }
        self.reach = reach
    }

    var isEmpty: Bool { lowerBounds.isEmpty }

    func overlapsAny(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, !lowerBounds.isEmpty else { return false }
        // The number of ranges starting before `range.upperBound`.
        var low = 0, high = lowerBounds.count
        while low < high {
            let middle = (low + high) / 2
            if lowerBounds[middle] < range.upperBound { low = middle + 1 } else { high = middle }
        }
        return low > 0 && reach[low - 1] > range.lowerBound
    }
}
