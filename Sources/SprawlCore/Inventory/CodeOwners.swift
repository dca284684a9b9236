import Foundation

/// A repository's CODEOWNERS file, read as GitHub does: the first of `.github/CODEOWNERS`,
/// `CODEOWNERS`, `docs/CODEOWNERS`; gitignore-style patterns; the last matching line wins; a
/// pattern with no owners makes a path explicitly unowned.
///
/// Used only to *suggest* owners for credentials the inventory does not know: a CODEOWNERS
/// entry says who reviews a path, not who owns a credential stored there.
public struct CodeOwners: Sendable {
    struct Rule: Sendable {
        let glob: Glob
        /// `docs/*`: direct children only (GitHub's exception to gitignore).
        let childrenOnly: Bool
        let owners: [String]
    }

    let rules: [Rule]
    /// The file the rules came from, relative to the repository.
    public let file: String

    public static let locations = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]

    /// Reads the repository's CODEOWNERS, if it has one.
    public static func load(repositoryDirectory: String) -> CodeOwners? {
        for location in locations {
            let path = repositoryDirectory + "/" + location
            if let data = FileManager.default.contents(atPath: path) {
                return CodeOwners(text: String(decoding: data, as: UTF8.self), file: location)
            }
        }
        return nil
    }

    public init(text: String, file: String = "CODEOWNERS") {
        self.file = file
        var rules = [Rule]()
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let pattern = fields.first else { continue }
            // A pattern containing a slash other than at its end is anchored at the root.
            var body = pattern
            while body.hasSuffix("/") && body.count > 1 { body.removeLast() }
            let anchored = body.hasPrefix("/") || body.contains("/")
            let childrenOnly = pattern.hasSuffix("/*") && !pattern.hasSuffix("**/*")
            rules.append(Rule(glob: Glob(pattern, anchored: anchored), childrenOnly: childrenOnly,
                              owners: Array(fields.dropFirst())))
        }
        self.rules = rules
    }

    /// The owners of `path` (relative to the repository root); empty when none or explicitly none.
    public func owners(of path: String) -> [String] {
        for rule in rules.reversed() {
            if rule.childrenOnly {
                if rule.glob.matchesExactly(path) { return rule.owners }
            } else if rule.glob.matches(path) {
                return rule.owners
            }
        }
        return []
    }
}
