/// Recognises values that stand in for a secret rather than being one.
///
/// Used by the entropy detector on generic assignments; specific signatures have their own
/// negative examples. A false "placeholder" verdict loses a finding, so each test here is narrow.
enum PlaceholderFilter {
    /// Substrings that mark documentation and test stand-ins (matched case-insensitively).
    static let markers: [[UInt8]] = [
        "changeme", "change_me", "change-me", "changeit", "example", "dummy", "placeholder", "sample",
        "your_", "your-", "yourpass", "yoursecret", "yourtoken", "<your", "redacted", "replace", "insert_",
        "enter_", "xxxx", "****", "....", "____", "----", "todo", "fixme", "notasecret", "not_a_secret",
        "not-a-secret", "fake", "mock", "foobar", "secret123", "password1", "password123", "p@ssw0rd",
        "passw0rd", "s3cr3t", "qwerty", "letmein", "test1234", "testpass",
        "testtoken", "testsecret", "your", "undefined", "null", "none", "default",
    ].map { Array($0.utf8) }

    static func isPlaceholder(_ value: [UInt8]) -> Bool {
        let lower = value.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if isTemplateReference(lower) || isReference(value) || isTruncatedOrEncrypted(value) { return true }
        if Set(lower).count <= 2 { return true }
        for marker in markers where lower.containsBytes(marker) { return true }
        return false
    }

    /// Sequences a person types to fill in a format (`abcdef`, `123456`, a counting run of 8 such
    /// as `ABCDEFGH`, one or two distinct characters): a random value holds one with negligible
    /// probability. Such a value is a placeholder or a weak hand-made secret, and which one the
    /// file decides: specific rules report it at low confidence; generic rules report it only in
    /// configuration that is not an example or template (`BlobScanner`), never in source code.
    /// It is not a placeholder by itself: on the 160-repository corpus, rejecting these values
    /// outright removed no finding, while a `JWT_SECRET=abcdef1234567890` in a deployed `.env` is
    /// a guessable secret in use.
    static let typedMarkers: [[UInt8]] = ["123456", "abcdef", "654321", "qwerty", "xxxx", "0000000", "example"].map { Array($0.utf8) }
    static let countingRun = 8

    static func looksTyped(_ value: UnsafeRawBufferPointer) -> Bool {
        guard value.count >= 4 else { return false }
        var distinct = Set<UInt8>()
        var run = 1
        var lower = [UInt8]()
        lower.reserveCapacity(value.count)
        for (index, byte) in value.enumerated() {
            if distinct.count <= 2 { distinct.insert(byte) }
            if index > 0 {
                let step = Int(byte) - Int(value[index - 1])
                run = step == 1 ? run + 1 : 1
                if run >= countingRun { return true }
            }
            lower.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
        }
        if distinct.count <= 2 { return true }
        return typedMarkers.contains { lower.containsBytes($0) }
    }

    /// A value cut short in documentation (`ops_eyJzaWdu…`, `sk-...`) or encrypted at rest (SOPS
    /// `ENC[AES256_GCM,…]`, Ansible Vault): the secret is not in the file.
    static func isTruncatedOrEncrypted(_ value: [UInt8]) -> Bool {
        if value.containsBytes(Array("...".utf8)) || value.containsBytes(Array("…".utf8)) { return true }
        if value.count >= 2 && value[value.count - 1] == UInt8(ascii: ".") && value[value.count - 2] == UInt8(ascii: ".") { return true }
        return value.starts(with: "ENC[".utf8) || value.starts(with: "$ANSIBLE_VAULT".utf8) || value.starts(with: "vault:v".utf8)
    }

    /// `${VAR}`, `{{ var }}`, `<token>`, `%(name)s`, `$(cmd)`, `#{x}`, `@x@`, `$VAR`.
    static func isTemplateReference(_ value: [UInt8]) -> Bool {
        let openers: [[UInt8]] = ["${", "{{", "$(", "%(", "#{", "@{", "<%"].map { Array($0.utf8) }
        if openers.contains(where: { value.containsBytes($0) }) { return true }
        guard let first = value.first, let last = value.last else { return true }
        if first == UInt8(ascii: "<") && last == UInt8(ascii: ">") { return true }
        if first == UInt8(ascii: "@") && last == UInt8(ascii: "@") { return true }
        if first == UInt8(ascii: "%") && last == UInt8(ascii: "%") { return true }
        if first == UInt8(ascii: "$") { return true }
        return false
    }

    /// Identifiers, member accesses, calls, paths and URLs: code and configuration, not secrets.
    static func isReference(_ value: [UInt8]) -> Bool {
        let text = String(decoding: value, as: UTF8.self)
        if text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("file:") { return true }
        if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~/") { return true }
        if text.hasPrefix("arn:") || text.hasPrefix("projects/") || text.hasPrefix("vault:") || text.hasPrefix("env:")
            || text.hasPrefix("secret:") || text.hasPrefix("ref+") || text.hasPrefix("op://") { return true }
        // A call or a constructor (`SymmetricKey(`, `getenv("X")`): code, not a value.
        if value.contains(UInt8(ascii: "(")) || value.contains(UInt8(ascii: ")")) { return true }
        if value.contains(UInt8(ascii: "[")) && value.contains(UInt8(ascii: "]")) { return true }
        // An identifier made of words: camelCase, snake_case, dotted.member.access, kebab-case.
        let isWordish = value.allSatisfy {
            ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "-")
        }
        if isWordish {
            let separators = value.filter { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }.count
            let humps = zip(value, value.dropFirst()).filter { $0.0 >= 97 && $0.0 <= 122 && $0.1 >= 65 && $0.1 <= 90 }.count
            if separators > 0 || humps <= 3 { return true }
        }
        if isMostlyCapitalizedWords(value) { return true }
        // A file name: name.ext with a common extension.
        let extensions = [".json", ".pem", ".key", ".crt", ".p12", ".yaml", ".yml", ".txt", ".env", ".conf", ".cfg", ".swift", ".js", ".py"]
        if extensions.contains(where: { text.lowercased().hasSuffix($0) }) { return true }
        return false
    }

    /// A type or element name made of capitalized words, whatever surrounds it
    /// (`clm52899:AgencyIdentificationCodeContentType`): three or more words of four letters or more,
    /// each with a vowel, covering 60% of the value. Random letters and digits do that about once in
    /// a thousand values of 20 to 24 bytes and less often when longer (measured on 200,000 each).
    static func isMostlyCapitalizedWords(_ value: [UInt8]) -> Bool {
        var words = 0, covered = 0
        var index = 0
        while index < value.count {
            guard value[index] >= 65 && value[index] <= 90 else { index += 1; continue }
            var end = index + 1, hasVowel = false
            while end < value.count && value[end] >= 97 && value[end] <= 122 {
                switch value[end] {
                case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
                     UInt8(ascii: "y"): hasVowel = true
                default: break
                }
                end += 1
            }
            if end - index >= 4 && hasVowel {
                words += 1
                covered += end - index
            }
            index = end
        }
        return words >= 3 && covered * 10 >= value.count * 6
    }
}
