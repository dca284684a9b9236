import Dispatch

/// Times each rule alone over a buffer, slowest first: how a rule author finds the rule that
/// makes some input slow (`sprawl signatures profile`).
public struct SignatureProfiler {
    public struct Timing: Sendable {
        public let rule: Int
        public let seconds: Double
        public let matches: Int
    }

    public let matcher: SignatureMatcher

    public init(matcher: SignatureMatcher) { self.matcher = matcher }

    /// The timing of every rule whose keywords occur in `buffer`, slowest first.
    public func profile(_ buffer: UnsafeRawBufferPointer) -> [Timing] {
        let scratch = MatcherScratch(for: matcher)
        var hits = [KeywordPrefilter.Hit]()
        matcher.prefilter.hits(in: buffer, into: &hits)
        let triggered = Set(hits.flatMap { matcher.rules(forKeyword: Int($0.keyword)) }).sorted()
        var timings = [Timing]()
        var matches = [SignatureMatch]()
        for rule in triggered {
            matches.removeAll(keepingCapacity: true)
            let start = DispatchTime.now().uptimeNanoseconds
            matcher.scan(buffer, onlyRule: rule, scratch: scratch, into: &matches)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            timings.append(Timing(rule: rule, seconds: elapsed, matches: matches.count))
        }
        return timings.sorted { $0.seconds > $1.seconds }
    }
}
