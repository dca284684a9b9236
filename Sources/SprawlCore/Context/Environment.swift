/// The deployment environment a location belongs to, when its path or its content says so
/// (docs/environments.md lists every convention). A credential found in two environments breaks
/// their isolation (OWASP NHI8): whoever can read the development configuration holds production.
///
/// Names are reduced to four canonical environments, so `prod`, `prd` and `production` agree.
public enum Environment: String, Sendable, CaseIterable, Comparable {
    case production, staging, development, test

    public static func < (lhs: Environment, rhs: Environment) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Words that name an environment wherever they stand as a whole path component or name part.
    static let strongWords: [String: Environment] = [
        "prod": .production, "production": .production, "prd": .production,
        "staging": .staging, "stage": .staging, "stg": .staging, "preprod": .staging, "pre-prod": .staging,
        "dev": .development, "development": .development,
        "qa": .test, "uat": .test,
    ]

    /// Words that name an environment only where an environment is expected (`.env.test`,
    /// `environments/test/`, `values-local.yaml`): elsewhere `test` and `local` mean test code and
    /// local tooling.
    static let weakWords: [String: Environment] = ["test": .test, "testing": .test, "local": .development]

    /// The environment one word names (lower-case): strong words always, weak ones when `expected`.
    static func named(_ word: Substring, expected: Bool) -> Environment? {
        let key = String(word)
        return strongWords[key] ?? (expected ? weakWords[key] : nil)
    }

    /// The environment a free-form name names (`payments-prod`, `Production`, `eu_staging_2`):
    /// its whole text, else its parts split at `-`, `_` and `.`; `expected` as in `named`.
    static func inName(_ name: Substring, expected: Bool) -> Environment? {
        let lowered = name.lowercased()
        if let whole = named(Substring(lowered), expected: expected) { return whole }
        let parts = lowered.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." })
        guard parts.count > 1 else { return nil }
        let found = Set(parts.compactMap { named($0, expected: expected) })
        return found.count == 1 ? found.first : nil
    }

    // MARK: Paths

    /// Folders whose children are environments: `environments/prod/`, `overlays/staging/`
    /// (Kustomize), `terraform.tfstate.d/prod/` (Terraform workspaces), `envs/`, `k8s/`,
    /// `deploy/`. A child's name may carry more (`k8s/prod-eu/`); elsewhere only a folder named
    /// exactly after an environment counts (`config/prod/`, not `dev-tools/`).
    static let environmentParents: Set<String> = [
        "environments", "environment", "envs", "env", "overlays", "stages", "workspaces", "terraform.tfstate.d",
        "deployments", "deployment", "deploy", "profiles", "k8s", "kubernetes", "kube", "helm", "charts",
        "terraform", "infra", "infrastructure", "clusters", "manifests", "config", "configs", "settings",
    ]

    /// File stems after which a name part is an environment (`values-test.yaml`,
    /// `application-local.yml`, `appsettings.Development.json`, `docker-compose.prod.yml`).
    static let configurationStems: Set<String> = [
        "values", "application", "appsettings", "config", "configuration", "settings", "secrets", "secret",
        "docker-compose", "compose", "terraform", "vars", "variables", "parameters", "params", "credentials",
        "env", "environment", "bootstrap", "inventory", "kustomization", "helmfile", "serverless", "app", "web",
    ]

    /// The environment `path` names: its file name first (most specific), then its folders from
    /// the innermost out.
    public static func of(path: String) -> Environment? {
        let components = path.split(separator: "/")
        guard let name = components.last else { return nil }
        let folder = components.count > 1 ? components[components.count - 2].lowercased() : ""
        if let named = inFileName(name, folder: folder) { return named }
        for index in components.indices.dropLast().reversed() {
            let component = components[index].lowercased()
            let parent = index > components.startIndex ? components[index - 1].lowercased() : ""
            let found = environmentParents.contains(parent)
                ? inName(Substring(component), expected: true) : named(Substring(component), expected: false)
            if let found { return found }
        }
        return nil
    }

    /// `.env.production`, `.env.development.local`, `prod.env`, `values-prod.yaml`,
    /// `application-staging.properties`, `appsettings.Production.json`, `prod.tfvars`,
    /// `config/environments/production.rb`'s `production.rb`, `docker-compose.staging.yml`.
    static func inFileName(_ name: Substring, folder: String) -> Environment? {
        let lowered = name.lowercased()
        var parts = lowered.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" })
        // In code, a name is about the code (`production_line.swift`), except in the folders
        // frameworks keep their per-environment settings in (`config/environments/production.rb`).
        guard !parts.isEmpty, !GenericContext.isSourceCode(lowered) || environmentParents.contains(folder) else { return nil }
        // dotenv files: every part besides `env` may name the environment; `local` marks a local
        // override of another one (`.env.test.local` is test).
        if isDotenv(lowered) {
            var words = parts.filter { $0 != "env" }
            if words.count > 1 { words.removeAll { $0 == "local" } }
            let found = Set(words.compactMap { named($0, expected: true) })
            return found.count == 1 ? found.first : nil
        }
        let fileExtension = parts.count > 1 ? String(parts.removeLast()) : ""
        // `test.yml`, `config/environments/test.rb` and `settings/local.py` name environments;
        // `test.py` elsewhere is test code.
        let expected = configurationStems.contains(String(parts[0]))
            || configurationStems.contains(parts.prefix(2).joined(separator: "-"))
            || parts.count == 1 && (configurationExtensions.contains(fileExtension) || environmentParents.contains(folder))
        let found = Set(parts.compactMap { named($0, expected: expected) })
        return found.count == 1 ? found.first : nil
    }

    /// A dotenv file by its (lower-cased) name: `.env`, `.env.production`, `prod.env`.
    static func isDotenv(_ name: String) -> Bool { name.hasPrefix(".env") || name.hasSuffix(".env") }

    /// Extensions of configuration files, whose whole stem may be an environment (`test.yml`).
    static let configurationExtensions: Set<String> = [
        "yml", "yaml", "json", "tfvars", "properties", "toml", "ini", "conf", "cfg", "env", "exs", "hcl", "config",
    ]
}
