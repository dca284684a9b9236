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
        "passw0rd", "s3cr3t", "qwerty", "letmein", "abc123", "123456", "abcdef", "test1234", "testpass",
        "testtoken", "testsecret", "your", "undefined", "null", "none", "default",
    ].map { Array($0.utf8) }

    static func isPlaceholder(_ value: [UInt8]) -> Bool {
        let lower = value.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if isTemplateReference(lower) || isReference(value) || isTruncatedOrEncrypted(value) { return true }
        if Set(lower).count <= 2 { return true }
        if isSequence(lower) { return true }
        for marker in markers where lower.containsBytes(marker) { return true }
        return false
    }

    /// Sequences a person types to fill in a format (`abcdef`, `123456`, a counting run of 8 such
    /// as `ABCDEFGH`, one or two distinct characters): a random value holds one with negligible
    /// probability. Specific rules still report such a value, at low confidence; generic rules drop it.
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
        // A file name: name.ext with a common extension.
        let extensions = [".json", ".pem", ".key", ".crt", ".p12", ".yaml", ".yml", ".txt", ".env", ".conf", ".cfg", ".swift", ".js", ".py"]
        if extensions.contains(where: { text.lowercased().hasSuffix($0) }) { return true }
        return false
    }

    /// Runs such as `12345678`, `abcdefgh`, `87654321`: counting up or down by one.
    static func isSequence(_ value: [UInt8]) -> Bool {
        guard value.count >= 4 else { return false }
        let steps = zip(value, value.dropFirst()).map { Int($0.1) - Int($0.0) }
        let ascending = steps.filter { $0 == 1 }.count, descending = steps.filter { $0 == -1 }.count
        return max(ascending, descending) * 10 >= steps.count * 7
    }
}
