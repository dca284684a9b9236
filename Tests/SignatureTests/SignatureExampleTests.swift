import Foundation
import Testing
@testable import SprawlCore

/// Every built-in rule, by id, for parameterized tests named after the rule and where it is written.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let index: Int
    let id: String
    let location: String
    var testDescription: String { "\(id) (\(location))" }
}

enum BuiltinRules {
    static let signatures: [Signature] = (try? SignatureLoader.builtin()) ?? []
    static let matcher = SignatureMatcher(signatures: signatures)
    static let cases: [RuleCase] = signatures.enumerated().map {
        RuleCase(index: $0.offset, id: $0.element.id, location: "\($0.element.file):\($0.element.line)")
    }
}

@Suite struct SignatureExampleTests {
    @Test func builtinSignaturesLoad() throws {
        let signatures = try SignatureLoader.builtin()
        try SignatureLoader.checkUnique(signatures)
        #expect(signatures.count >= 450, "the issue asks for at least 450 rules; there are \(signatures.count)")
        for signature in signatures {
            #expect(!signature.references.isEmpty, "\(signature.id) (\(signature.file):\(signature.line)) has no reference")
            #expect(signature.declaresSubject, "\(signature.id) (\(signature.file):\(signature.line)) does not say whose credential it is (subject)")
            #expect(signature.negativeExamples.count >= (signature.isGeneric ? 2 : 1), "\(signature.id) needs negative examples")
        }
    }

    /// Each example yields exactly its marked secret through the scan's matcher (prefilter and
    /// overlap resolution included), also after a multi-byte prefix line and with CRLF endings;
    /// each negative example yields nothing.
    @Test(arguments: BuiltinRules.cases)
    func examples(of rule: RuleCase) {
        let problems = SignatureChecker(matcher: BuiltinRules.matcher).check(rule: rule.index)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    /// Every example keeps its fingerprint when the file stores it encoded: base64 in a Kubernetes
    /// Secret's `data:`, and (for multi-line secrets such as PEM keys) JSON-escaped on one line.
    @Test(arguments: BuiltinRules.cases)
    func examplesKeepTheirFingerprintWhenEncoded(rule: RuleCase) {
        let signature = BuiltinRules.signatures[rule.index]
        let scanner = BlobScanner(matcher: BuiltinRules.matcher, fingerprinter: Fingerprinter(key: .init(Array("k".utf8))),
                                  keepsSecrets: false)
        for example in signature.examples {
            let expected = Set(findings(scanner, example.text, path: "plain.env").filter { $0.rule == signature.id }.map(\.fingerprint))
            guard expected.count == example.secrets.count else {
                Issue.record("\(signature.id): example at line \(example.line) yields \(expected.count) findings as a file")
                continue
            }
            // Generic rules need the assignment's name as context, which the wrapper replaces;
            // their base64 case (`password: <base64>`) is tested with the scanner.
            guard !signature.isGeneric else { continue }
            let encoded = Data(example.text).base64EncodedString()
            let manifest = Array("apiVersion: v1\nkind: Secret\ndata:\n  value: \(encoded)\n".utf8)
            let decoded = Set(findings(scanner, manifest, path: "k8s/secret.yaml").map(\.fingerprint))
            #expect(expected.isSubset(of: decoded), "\(signature.id): base64-wrapped example at line \(example.line) lost its fingerprint")
            if example.text.contains(0x0A) && example.secrets.contains(where: { example.text[$0].contains(0x0A) }) {
                let json = Array("{\"value\": ".utf8) + jsonQuoted(example.text) + Array("}\n".utf8)
                let escaped = Set(findings(scanner, json, path: "config.json").map(\.fingerprint))
                #expect(expected.isSubset(of: escaped), "\(signature.id): JSON-escaped example at line \(example.line) lost its fingerprint")
            }
        }
    }

    @Test func generatedBuiltinFileIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent("signatures").path
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yml") }.sorted()
        let embedded = Dictionary(uniqueKeysWithValues: BuiltinSignatures.files.map { ($0.name, $0.contents) })
        #expect(names == BuiltinSignatures.files.map(\.name), "run scripts/generate-builtin-signatures")
        for name in names {
            let onDisk = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            #expect(embedded[name] == onDisk, "signatures/\(name) changed: run scripts/generate-builtin-signatures")
        }
    }

    func findings(_ scanner: BlobScanner, _ bytes: [UInt8], path: String) -> [Finding] {
        var found = [Finding]()
        bytes.withUnsafeBytes { scanner.scan($0, origin: .init(path: path, repository: "r", source: "file"), into: &found) }
        return found
    }

    func jsonQuoted(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in bytes {
            switch byte {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }
}
