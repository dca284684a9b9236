/// The identity kinds of the owner inventory (contracts.md §2); every signature names one.
public enum IdentityKind: String, Sendable, CaseIterable, Codable {
    case serviceAccount = "service-account"
    case apiKey = "api-key"
    case token
    case certificate
    case workloadIdentity = "workload-identity"
    case human
}

/// How sure a finding is that it is a live credential, from the rule that made it.
///
/// `high`: a format that proves itself (a provider prefix long enough to be unique, a checksum or
/// structure a validator checked); `medium`: a provider's format recognised from its context (a
/// keyword near the value); `low`: a generic assignment whose value only looks random.
public enum Confidence: String, Sendable, CaseIterable, Comparable, Codable {
    case low, medium, high

    var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        }
    }

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rank < rhs.rank }
}

/// Whom a credential is bound to: a person (personal access tokens, user sessions and passwords)
/// or a workload (app and bot tokens, service-account keys, deploy keys), or the format cannot tell.
public enum CredentialSubject: String, Sendable, CaseIterable, Codable {
    case human, workload, unknown
}

/// How a secret is stored in its match, undone before fingerprinting.
public enum SecretEncoding: String, Sendable {
    /// Percent-encoded, as in a URL's userinfo.
    case url
}

/// One detection rule, loaded from a YAML file in `signatures/` or a user's `--signatures` folder.
///
/// A signature is data: a PCRE2 pattern whose capture group is the secret, the keywords that must
/// occur for the pattern to be worth running, and the examples that prove it works.
public struct Signature: Sendable {
    public let id: String
    public let name: String
    public let kind: IdentityKind
    /// Lower-cased ASCII literals; a file that contains none of them is never matched by this rule.
    public let keywords: [String]
    public let pattern: String
    public let secretGroup: Int
    public let minEntropy: Double?
    public let validator: SecretValidator?
    /// Generic rules (assignments to secret-like names) yield to specific ones on overlapping spans.
    public let isGeneric: Bool
    /// The confidence of this rule's findings; when the file does not say, `low` for generic
    /// rules, `high` for rules with a structural validator, `medium` otherwise.
    public let confidence: Confidence
    /// Whom the credential is bound to.
    public let subject: CredentialSubject
    /// Whether the rule file says `subject:` (every built-in rule does; a test holds them to it).
    public var declaresSubject = false
    /// The rule's keywords are names only its credential goes by, and its pattern fixes the
    /// value's form (`aws_secret_access_key` is always 40 characters): a generic assignment under
    /// one of them that the rule did not match is not a credential (see `ProviderNames`).
    public var ownsNames = false
    public let secretEncoding: SecretEncoding?
    /// Bytes after a keyword hit that a match may reach.
    public let window: Int
    public let references: [String]
    public let examples: [SignatureExample]
    public let negativeExamples: [SignatureExample]
    /// Where the rule was written, for error messages and test names.
    public let file: String
    public let line: Int
    /// Allowlists of an imported gitleaks rule (its own and its file's global ones): a match any
    /// of them accepts is dropped, like one below `min_entropy`. Empty for sprawl's own rules.
    public var allowlists: [SecretAllowlist] = []
}

/// A gitleaks-style allowlist: patterns searched in the secret (or the whole match) and stopwords
/// searched in the secret, case-insensitively. With `requiresAll` (gitleaks' `condition = "AND"`)
/// every kind of check present must accept the match, otherwise any one.
public struct SecretAllowlist: Sendable {
    public enum Target: String, Sendable {
        /// The secret group (gitleaks' default `regexTarget`).
        case secret
        /// The whole match of the rule's pattern (`regexTarget = "match"`).
        case match
    }

    /// PCRE2 patterns (translated from the source dialect), searched unanchored in the target.
    public let patterns: [String]
    public let target: Target
    /// Lower-cased ASCII; a secret containing one, ignoring ASCII case, is allowed.
    public let stopwords: [String]
    public let requiresAll: Bool
    /// Where the allowlist was written, for errors in its patterns.
    public let line: Int
}

/// An example input of a signature, with the secrets it must yield (none for a negative example).
public struct SignatureExample: Sendable {
    /// The input, with the `«` `»` markers removed.
    public let text: [UInt8]
    /// Byte ranges of `text` that are the expected secrets.
    public let secrets: [Range<Int>]
    public let line: Int
    /// An imported Nosey Parker / Kingfisher example, written without markers: it must yield at
    /// least one secret, wherever it is.
    public let isUnmarked: Bool

    static let open = Array("«".utf8), close = Array("»".utf8)

    /// An example without markers (an imported rule's): `secrets` is empty and `isUnmarked` set.
    init(unmarked: String, line: Int) {
        self.text = Array(unmarked.utf8)
        self.secrets = []
        self.line = line
        self.isUnmarked = true
    }

    /// Strips `«…»` markers, recording the byte ranges they enclosed.
    init?(marked: String, line: Int) {
        let bytes = Array(marked.utf8)
        var text = [UInt8]()
        var secrets = [Range<Int>]()
        var openAt: Int?
        var index = 0
        while index < bytes.count {
            if bytes[index...].starts(with: Self.open) {
                guard openAt == nil else { return nil }
                openAt = text.count
                index += Self.open.count
            } else if bytes[index...].starts(with: Self.close) {
                guard let start = openAt else { return nil }
                secrets.append(start..<text.count)
                openAt = nil
                index += Self.close.count
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        guard openAt == nil else { return nil }
        self.text = text
        self.secrets = secrets
        self.line = line
        self.isUnmarked = false
    }
}

/// A loading or checking problem with one signature: file, line, rule and field.
public struct SignatureError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let rule: String?
    public let field: String
    public let message: String

    public var description: String {
        let rulePart = rule.map { "rule \($0): " } ?? ""
        return "\(file):\(line): \(rulePart)field \(field): \(message)"
    }

    init(file: String, line: Int, rule: String?, field: String, message: String) {
        (self.file, self.line, self.rule, self.field, self.message) = (file, line, rule, field, message)
    }

    init(_ error: FieldError, rule: String?) {
        self.init(file: error.file, line: error.line, rule: rule, field: error.field, message: error.message)
    }
}
