/// Where a generic assignment is taken as a secret. Specific signatures fire everywhere; generic
/// ones are held to the file they are in, because most of their noise comes from code, tests and
/// documentation:
/// - in test, fixture, example and documentation paths they are not reported at all (test
///   suites and API specs are full of sample tokens and passwords);
/// - in source files only quoted literals count (an unquoted right-hand side is code:
///   `token = next()`), and values that read as words (`bl0bisawesome!`) are dropped.
public enum GenericContext {
    /// Source files, where generic assignments are held to a stricter standard: only quoted
    /// literals count (an unquoted right-hand side is code: `token = next()`), and values that read
    /// as words (`bl0bisawesome!`, documentation examples) are dropped.
    static let sourceExtensions: Set<String> = [
        "swift", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "go", "rs", "java", "kt", "kts", "scala",
        "groovy", "js", "jsx", "mjs", "cjs", "ts", "tsx", "py", "rb", "php", "cs", "fs", "vb", "dart", "lua", "pl",
        "pm", "r", "jl", "ex", "exs", "erl", "hs", "ml", "clj", "zig", "nim", "d", "sql", "md", "rst", "html",
        "gyb", "inc", "ipp", "tpp", "vue", "svelte",
    ]

    /// Path components (lower-cased) that mark tests, fixtures, examples and documentation.
    static let nonProductionDirectories: Set<String> = [
        "test", "tests", "spec", "specs", "__tests__", "__mocks__", "testdata", "test-data", "test_data", "testing",
        "fixtures", "fixture", "examples", "example", "samples", "sample", "docs", "doc", "documentation", "mocks", "mock",
    ]

    /// Whether `path` is a test, fixture, example or documentation file: by a directory name, or a
    /// test file name (`*_test.go`, `test_*.py`, `*Tests.swift`, `*.spec.ts`, ...).
    public static func isNonProduction(_ path: String) -> Bool {
        // Works on the UTF-8 bytes: this runs once per file (per path of every blob in a history
        // scan), and the String version (lowercased, split, String per component) showed in profiles.
        var lowered = Array(path.utf8)
        for index in lowered.indices where lowered[index] >= 65 && lowered[index] <= 90 { lowered[index] += 32 }
        let components = lowered.split(separator: UInt8(ascii: "/"))
        guard let name = components.last else { return false }
        for component in components.dropLast() where component.count <= 13 {
            if nonProductionDirectoryBytes.contains(Array(component)) { return true }
        }
        let stem = name.split(separator: UInt8(ascii: "."), maxSplits: 1).first ?? name
        return stem.starts(with: "test_".utf8) || stem.ends(with: "_test") || stem.ends(with: "tests") || stem.ends(with: "test")
            || stem.ends(with: "spec") || name.containsBytes(Array(".test.".utf8)) || name.containsBytes(Array(".spec.".utf8))
    }

    static let nonProductionDirectoryBytes = Set(nonProductionDirectories.map { Array($0.utf8) })

    /// Whether `path` is a source or documentation file by its extension.
    public static func isSourceCode(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return sourceExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// Whether a file name (lower-cased) says it holds examples to copy from, not what runs:
    /// `.env.example`, `config.sample.yml`, `settings-template.json`, `app.yml.dist`.
    static func isExampleFile(name: String, fileExtension: String) -> Bool {
        exampleExtensions.contains(fileExtension) || exampleExtensions.contains { name.contains(".\($0).") || name.contains("-\($0).") }
    }

    /// Whether `path`'s file name says it holds examples (see `isExampleFile(name:fileExtension:)`).
    public static func isExampleFile(_ path: String) -> Bool {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        return isExampleFile(name: name, fileExtension: fileExtension(ofName: name))
    }

    /// What follows a file name's last dot (`env` for `.env`, `local` for `.env.local`); empty without one.
    static func fileExtension(ofName name: String) -> String {
        name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? ""
    }

    static let exampleExtensions: Set<String> = ["example", "examples", "sample", "template", "tmpl", "dist", "tpl"]

    /// Whether a value reads as words rather than random characters: at least 8 letters, of which
    /// 40% or more are vowels (random letters give about 19%, English text about 40%).
    public static func looksLikeWords<Bytes: Collection<UInt8>>(_ value: Bytes) -> Bool {
        var letters = 0, vowels = 0
        for byte in value {
            let lower = byte | 0x20
            guard lower >= 97 && lower <= 122 else { continue }
            letters += 1
            if lower == 97 || lower == 101 || lower == 105 || lower == 111 || lower == 117 { vowels += 1 }
        }
        return letters >= 8 && vowels * 10 >= letters * 4
    }
}

extension ArraySlice<UInt8> {
    fileprivate func ends(with suffix: String) -> Bool {
        let bytes = Array(suffix.utf8)
        return count >= bytes.count && self.suffix(bytes.count).elementsEqual(bytes)
    }
}
