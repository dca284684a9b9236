/// The provider names that specific rules are keyed on (`twilio`, `datadog`, `telegram`, ...).
///
/// A generic assignment whose name mentions one of them defers to that provider's rule when the
/// rule is a self-proving format (`confidence: high`): the format is fixed and documented, and a
/// value that the rule did not match is not that credential (`telegram_api_token = "9552:A4…"`
/// with a malformed token). Context rules (`medium`) do not count: their value formats are the
/// less certain part, and a random value under their provider's name is still reported; unless
/// the rule says `owns_names`, for names only its credential goes by and a value form its
/// provider fixes (`AWS_SECRET_ACCESS_KEY` holds 40 characters, so 42 hex digits under that name
/// are something else).
/// Words that name no provider (`token`, `secret`, `client`, ...) are not provider names.
struct ProviderNames: Sendable {
    private let names: [[UInt8]]
    /// First bytes of the names, to skip most positions with one lookup.
    private let firstBytes: [Bool]

    static let genericWords: Set<String> = [
        "token", "tokens", "secret", "secrets", "password", "passwd", "pass", "private", "client", "access", "apikey",
        "api_key", "api-key", "bearer", "basic", "auth", "oauth", "key", "keys", "webhook", "hook", "hooks", "http",
        "https", "user", "admin", "account", "service", "session", "cookie", "config", "credential", "credentials",
        "database", "server", "bot", "app", "application", "access_key", "secret_key", "private_key", "auth_token",
        "api_token", "signing", "license", "project", "org", "organization", "personal", "refresh", "consumer",
        "live", "test", "prod", "production", "sandbox", "master", "root", "login", "host", "mail", "smtp", "cloud",
        "data", "deploy", "agent", "runner", "trigger", "pipeline", "registry", "docker", "npm", "pypi", "ssh", "pgp",
        "begin", "end", "public", "value", "item", "connection", "string", "endpoint", "instrumentation", "shared",
        "sas", "sig", "jdbc", "mongodb", "postgres", "postgresql", "mysql", "redis", "amqp", "amqps", "ftp", "sftp",
        "ldap", "dsn", "url", "uri",
    ]

    init(signatures: [Signature]) {
        var names = Set<[UInt8]>()
        // A self-proving format found bare: one of its keywords is a token prefix (`:aa`, `ghp_`)
        // rather than a word. Its word keywords (`telegram`) are the provider's names.
        for signature in signatures where !signature.isGeneric && signature.confidence == .high
            && signature.keywords.contains(where: { !$0.utf8.allSatisfy { $0 >= 97 && $0 <= 122 } }) {
            for keyword in signature.keywords where keyword.utf8.count >= 4 && !Self.genericWords.contains(keyword)
                && keyword.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) {
                names.insert(Array(keyword.utf8))
            }
        }
        for signature in signatures where signature.ownsNames {
            for keyword in signature.keywords where keyword.utf8.count >= 4 { names.insert(Array(keyword.lowercased().utf8)) }
        }
        self.names = names.sorted { $0.lexicographicallyPrecedes($1) }
        var firstBytes = [Bool](repeating: false, count: 256)
        for name in self.names { firstBytes[Int(name[0])] = true }
        self.firstBytes = firstBytes
    }

    /// Whether `text` (an assignment's name, at most a few dozen bytes) contains a provider name,
    /// compared case-insensitively.
    func occurs(in text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 4 else { return false }
        for start in 0...(text.count - 4) {
            let first = text[start] | (text[start] >= 65 && text[start] <= 90 ? 0x20 : 0)
            guard firstBytes[Int(first)] else { continue }
            for name in names where name[0] == first && start + name.count <= text.count {
                var equal = true
                for offset in 1..<name.count {
                    var byte = text[start + offset]
                    if byte >= 65 && byte <= 90 { byte |= 0x20 }
                    if byte != name[offset] { equal = false; break }
                }
                if equal { return true }
            }
        }
        return false
    }
}
