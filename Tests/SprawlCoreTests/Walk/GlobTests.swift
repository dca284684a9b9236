import Testing
@testable import SprawlCore

@Suite struct GlobTests {
    @Test(arguments: [
        ("*.min.js", "web/app.min.js", true), ("*.min.js", "web/app.js", false),
        ("vendor", "vendor/lib/a.go", true), ("vendor/", "src/vendor/a.go", true),
        ("vendor/**", "vendor/lib/a.go", true), ("vendor/**", "src/vendor/a.go", false),
        ("**/testdata/*.json", "a/b/testdata/x.json", true), ("**/testdata/*.json", "testdata/x.json", true),
        ("**/testdata/*.json", "a/testdata/sub/x.json", false), ("src/*.py", "src/a.py", true),
        ("src/*.py", "src/sub/a.py", false), ("file?.txt", "file1.txt", true), ("file?.txt", "file10.txt", false),
        ("[ab]*.txt", "b1.txt", true), ("[!ab]*.txt", "b1.txt", false), ("./docs", "docs/readme.md", true),
    ])
    func matching(pattern: String, path: String, expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }
}
