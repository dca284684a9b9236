/// What a file's content says about the environment of its lines, for the files that say it:
/// - a Kubernetes manifest or Helm values document's `namespace:` (`payments-prod`), per YAML
///   document (`---` separates them);
/// - a GitHub Actions job's `environment:` (`environment: production`, or `name:` under it), per job;
/// - a configuration file that sets a framework's environment variable (`NODE_ENV=production`,
///   `RAILS_ENV: staging`, `ASPNETCORE_ENVIRONMENT=Development`, Dockerfile `ENV APP_ENV prod`),
///   for the whole file when it sets one environment only.
///
/// Built only for files with findings, once per file and path.
struct EnvironmentInContent {
    /// Line ranges (1-based, inclusive) and the environment they lie in, innermost first.
    private var spans: [(lines: ClosedRange<Int>, environment: Environment)] = []
    private var wholeFile: Environment?

    init(_ buffer: UnsafeRawBufferPointer, path: String) {
        let lowered = path.lowercased()
        let isYAML = lowered.hasSuffix(".yml") || lowered.hasSuffix(".yaml")
        let isWorkflow = isYAML && (lowered.hasPrefix(".github/workflows/") || lowered.contains("/.github/workflows/"))
        let isConfiguration = !GenericContext.isSourceCode(path)
        guard isYAML || isConfiguration, buffer.count <= Self.maximumSize else { return }
        // Lines split on bytes, a CR before the LF dropped: as Characters, "\r\n" is one, and a
        // CRLF file would read as a single line.
        let lines = buffer.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            Substring(String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self))
        }
        if isWorkflow { spans += Self.workflowJobs(lines) }
        if isYAML { spans += Self.namespaces(lines) }
        if isConfiguration { wholeFile = Self.declaredEnvironment(lines) }
    }

    /// Files larger than this are data, not configuration that names its environment.
    static let maximumSize = 1 << 20

    /// The environment the content gives `line`, if any.
    func environment(atLine line: Int) -> Environment? {
        spans.first { $0.lines.contains(line) }?.environment ?? wholeFile
    }

    static func indentation(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    /// The plain scalar after `key:` on `line`, without quotes or a trailing comment.
    static func value(of key: String, in line: Substring) -> Substring? {
        let trimmed = line.drop { $0 == " " || $0 == "-" }
        guard trimmed.hasPrefix(key + ":") else { return nil }
        var rest = trimmed.dropFirst(key.count + 1)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        while let last = rest.last, last == " " || last == "\t" || last == "\r" { rest = rest.dropLast() }
        if let first = rest.first, first == "\"" || first == "'", rest.count >= 2, rest.last == first { rest = rest.dropFirst().dropLast() }
        return rest
    }

    /// Each YAML document's `namespace:` value, over the document's lines.
    static func namespaces(_ lines: [Substring]) -> [(lines: ClosedRange<Int>, environment: Environment)] {
        var result = [(lines: ClosedRange<Int>, environment: Environment)]()
        var start = 1
        var found: Environment?
        func close(_ end: Int) {
            if let found, end >= start { result.append((start...end, found)) }
        }
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("---") {
                close(index)
                start = index + 2
                found = nil
            } else if found == nil, let name = value(of: "namespace", in: line), !name.isEmpty {
                found = Environment.inName(name, expected: true)
            }
        }
        close(lines.count)
        return result
    }

    /// Each GitHub Actions job's `environment:`, over the job's lines.
    static func workflowJobs(_ lines: [Substring]) -> [(lines: ClosedRange<Int>, environment: Environment)] {
        guard let jobsLine = lines.firstIndex(where: { $0.hasPrefix("jobs:") }) else { return [] }
        var result = [(lines: ClosedRange<Int>, environment: Environment)]()
        var jobIndent: Int?
        var jobStart = 0
        var found: Environment?
        var environmentIndent: Int?
        func close(_ end: Int) {
            if let found, end >= jobStart { result.append(((jobStart + 1)...(end + 1), found)) }
        }
        var index = jobsLine + 1
        while index < lines.count {
            let line = lines[index]
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { index += 1; continue }
            let indent = indentation(line)
            if indent == 0 { break }  // the next top-level key ends `jobs:`
            if jobIndent == nil { jobIndent = indent }
            if indent == jobIndent {
                close(index - 1)
                jobStart = index
                found = nil
                environmentIndent = nil
            } else if let name = value(of: "environment", in: line) {
                if name.isEmpty { environmentIndent = indent } else { found = Environment.inName(name, expected: true) }
            } else if let outer = environmentIndent, indent > outer, let name = value(of: "name", in: line) {
                found = Environment.inName(name, expected: true)
                environmentIndent = nil
            } else if let outer = environmentIndent, indent <= outer {
                environmentIndent = nil
            }
            index += 1
        }
        close(index - 1)
        return result
    }

    /// Framework variables that name the running environment.
    static let environmentVariables: Set<String> = [
        "node_env", "rails_env", "rack_env", "app_env", "aspnetcore_environment", "dotnet_environment", "flask_env",
        "django_env", "spring_profiles_active", "environment", "env", "stage", "deploy_env", "deployment_environment",
        "app_environment", "mix_env", "go_env", "sentry_environment",
    ]

    /// The one environment the file's variables set (`NAME=value`, `NAME: value`, `ENV NAME value`).
    /// Names count only in upper case, as environment variables are written: a CI file's job
    /// keys (`stage: test`, `environment: production`) are not variables.
    static func declaredEnvironment(_ lines: [Substring]) -> Environment? {
        var found = Set<Environment>()
        for line in lines {
            var text = line.drop { $0 == " " || $0 == "\t" || $0 == "-" }
            for prefix in ["export ", "ENV ", "set "] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
            guard let end = text.firstIndex(where: { $0 == "=" || $0 == ":" || $0 == " " }) else { continue }
            let written = text[..<end]
            let name = written.lowercased()
            guard environmentVariables.contains(name), written.uppercased() == written else { continue }
            var value = text[end...].drop { $0 == "=" || $0 == ":" || $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }
            value = value.prefix { $0.isLetter || $0 == "-" || $0 == "_" }
            if let environment = Environment.inName(value, expected: true) { found.insert(environment) }
        }
        return found.count == 1 ? found.first : nil
    }
}
