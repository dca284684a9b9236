import Testing
@testable import SprawlCore

@Suite struct CanonicalizerTests {
    func canonical(_ text: String, secret: String, encoding: SecretEncoding? = nil, markup: Bool = false) -> String {
        let bytes = Array(text.utf8)
        let needle = Array(secret.utf8)
        let start = (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }!
        let result = bytes.withUnsafeBytes {
            Canonicalizer.canonicalSecret(in: $0, secret: start..<(start + needle.count), encoding: encoding, isMarkup: markup)
        }
        return String(decoding: result, as: UTF8.self)
    }

    @Test func jsonEscapesAreUndoneInsideDoubleQuotes() {
        #expect(canonical(#"{"k": "ab\/cd\"ef\u0041\\g"}"#, secret: #"ab\/cd\"ef\u0041\\g"#) == #"ab/cd"efA\g"#)
        #expect(canonical(#"{"k": "x\ud83d\ude00y"}"#, secret: #"x\ud83d\ude00y"#) == "x😀y")
    }

    @Test func unquotedValuesAreTakenAsWritten() {
        #expect(canonical(#"KEY=ab\/cd"#, secret: #"ab\/cd"#) == #"ab\/cd"#)
    }

    @Test func yamlSingleQuotesUndoubled() {
        #expect(canonical("k: 'it''s-a-secret'", secret: "it''s-a-secret") == "it's-a-secret")
    }

    @Test func xmlEntitiesInMarkupOnly() {
        #expect(canonical("<p>a&amp;b&#x41;&#66;</p>", secret: "a&amp;b&#x41;&#66;", markup: true) == "a&bAB")
        #expect(canonical("K=a&amp;b", secret: "a&amp;b") == "a&amp;b")
    }

    @Test func percentEncodedUserinfo() {
        #expect(canonical("postgres://u:p%40ss%2Fw@h/db", secret: "p%40ss%2Fw", encoding: .url) == "p@ss/w")
        // A raw '#' or '^' shows the password was pasted unencoded: keep every byte.
        #expect(canonical("postgres://u:Ab#c%4A^x@h/db", secret: "Ab#c%4A^x", encoding: .url) == "Ab#c%4A^x")
        #expect(canonical("postgres://u:ab%zz@h/db", secret: "ab%zz", encoding: .url) == "ab%zz")
    }

    @Test func pemBodyIsTheSameRawOrEscaped() {
        let raw = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\nAbCdEf==\n-----END RSA PRIVATE KEY-----\n"
        let escaped = #"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\nAbCdEf==\n-----END RSA PRIVATE KEY-----\n"#
        let crlf = raw.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(String(decoding: Canonicalizer.pemBody(Array(raw.utf8)), as: UTF8.self) == "MIIBOgIBAAJBAKAbCdEf==")
        #expect(String(decoding: Canonicalizer.pemBody(Array(escaped.utf8)), as: UTF8.self) == "MIIBOgIBAAJBAKAbCdEf==")
        #expect(String(decoding: Canonicalizer.pemBody(Array(crlf.utf8)), as: UTF8.self) == "MIIBOgIBAAJBAKAbCdEf==")
    }

    @Test func base64IsStrict() {
        #expect(Base64.decode(Array("aHVudGVyMg==".utf8)).map { String(decoding: $0, as: UTF8.self) } == "hunter2")
        #expect(Base64.decode(Array("aHVudGVyMg".utf8)).map { String(decoding: $0, as: UTF8.self) } == "hunter2")
        #expect(Base64.decode(Array("not base64!".utf8)) == nil)
        #expect(Base64.decode(Array("abcde".utf8)) == nil)
        #expect(Base64.decode(Array("_-8".utf8), urlSafe: true) == [0xFF, 0xEF])
    }

    @Test func kubernetesSecretDataIsDecoded() {
        let manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
            data:
              username: YWRtaW4=
              password: aHVudGVyMmh1bnRlcjI=
            ---
            kind: ConfigMap
            data:
              password: bm90LWEtc2VjcmV0
            """
        let values = Array(manifest.utf8).withUnsafeBytes { EncodedValueDecoder.values(in: $0) }
        let texts = values.map { String(decoding: $0.synthetic, as: UTF8.self) }
        #expect(texts == ["k8s-secret-data.username: admin\n", "k8s-secret-data.password: hunter2hunter2\n"])
        let quoted = EncodedValueDecoder.synthetic(name: Array("password".utf8), decoded: Array("a b\\c#d".utf8))
        #expect(String(decoding: quoted, as: UTF8.self) == "password: \"a b\\\\c#d\"\n")
    }

    @Test func dockerAuthIsDecodedToThePassword() {
        let config = #"{"auths": {"registry.example.com": {"auth": "dXNlcjpzM2NyM3QtcGFzcw=="}}}"#
        let values = Array(config.utf8).withUnsafeBytes { EncodedValueDecoder.values(in: $0) }
        #expect(values.map { String(decoding: $0.synthetic, as: UTF8.self) } == ["password: s3cr3t-pass\n"])
    }
}
