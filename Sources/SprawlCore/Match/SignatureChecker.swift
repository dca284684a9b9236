/// Runs every signature's examples through the matcher a scan uses, as `rules check` in Nosey
/// Parker: each example must yield exactly its marked secrets (also after a multi-byte prefix
/// line and with CRLF line endings), and each negative example nothing.
public struct SignatureChecker {
    public struct Problem: CustomStringConvertible, Sendable {
        public let rule: String
        public let file: String
        public let line: Int
        public let message: String
        public var description: String { "\(file):\(line): rule \(rule): \(message)" }
    }

    public let matcher: SignatureMatcher
    public init(matcher: SignatureMatcher) { self.matcher = matcher }

    /// Every problem of every rule; empty when all rules hold.
    public func check() -> [Problem] {
        var problems = [Problem]()
        let scratch = MatcherScratch(for: matcher)
        for index in matcher.signatures.indices { problems += check(rule: index, scratch: scratch) }
        return problems
    }

    public func check(rule index: Int, scratch: MatcherScratch? = nil) -> [Problem] {
        let signature = matcher.signatures[index]
        let scratch = scratch ?? MatcherScratch(for: matcher)
        func problem(_ line: Int, _ message: String) -> Problem {
            Problem(rule: signature.id, file: signature.file, line: line, message: message)
        }
        do { _ = try matcher.pattern(index) } catch { return [problem(signature.line, "field pattern: \(error.message)")] }
        var problems = [Problem]()
        for (number, example) in signature.examples.enumerated() {
            let label = "example \(number + 1)"
            let lowered = String(decoding: example.text, as: UTF8.self).lowercased()
            if !signature.keywords.contains(where: { lowered.contains($0) }) {
                problems.append(problem(example.line, "\(label) contains none of the keywords \(signature.keywords)"))
                continue
            }
            let got = secrets(of: index, in: example.text, scratch: scratch)
            let expected: [[UInt8]]
            if example.isUnmarked {
                // An imported rule's example has no markers: any secret will do, and the
                // variants must then yield the same ones.
                guard !got.isEmpty else {
                    problems.append(problem(example.line, "\(label) should yield at least one secret, yields none"))
                    continue
                }
                expected = got.map(\.canonical)
            } else {
                expected = example.secrets.map { canonical(example.text, $0, signature) }
                if got.map(\.range) != example.secrets {
                    let shown = got.map { "\($0.range)" }.joined(separator: ", ")
                    problems.append(problem(example.line, "\(label) should yield the marked secret at \(example.secrets), yields [\(shown)]"))
                    continue
                }
            }
            for (name, variant) in variants(of: example.text) {
                let canonicals = secrets(of: index, in: variant, scratch: scratch).map(\.canonical)
                if canonicals != expected {
                    problems.append(problem(example.line, "\(label) with \(name) yields \(canonicals.count) secret(s), different from the plain example"))
                }
            }
        }
        for (number, example) in signature.negativeExamples.enumerated() {
            let got = secrets(of: index, in: example.text, scratch: scratch, resolvingOverlaps: false)
            if !got.isEmpty {
                problems.append(problem(example.line, "negative example \(number + 1) yields a secret at \(got[0].range)"))
            }
        }
        return problems
    }

    /// The example with a multi-byte first line, and with CRLF line endings.
    func variants(of text: [UInt8]) -> [(String, [UInt8])] {
        let prefix = Array("# ünïcödé ✓ prefix\n".utf8)
        var crlf = [UInt8]()
        for byte in text {
            if byte == 0x0A && crlf.last != 0x0D { crlf.append(0x0D) }
            crlf.append(byte)
        }
        return [("a multi-byte prefix line", prefix + text), ("CRLF line endings", crlf + [0x0D, 0x0A])]
    }

    private func canonical(_ text: [UInt8], _ range: Range<Int>, _ signature: Signature) -> [UInt8] {
        text.withUnsafeBytes {
            Canonicalizer.canonicalSecret(in: $0, secret: range, encoding: signature.secretEncoding, isMarkup: false)
        }
    }

    private func secrets(of rule: Int, in text: [UInt8], scratch: MatcherScratch,
                         resolvingOverlaps: Bool = true) -> [(range: Range<Int>, canonical: [UInt8])] {
        let signature = matcher.signatures[rule]
        var matches = [SignatureMatch]()
        text.withUnsafeBytes { buffer in
            if resolvingOverlaps {
                matcher.scan(buffer, scratch: scratch, into: &matches)
            } else {
                matcher.scan(buffer, onlyRule: rule, scratch: scratch, into: &matches)
            }
        }
        return matches.filter { $0.rule == rule }.map { ($0.secret, canonical(text, $0.secret, signature)) }
    }
}
