/// Files that machines run from: CI pipelines, infrastructure as code, container and Kubernetes
/// definitions, and service configuration. A credential bound to a person found in one of them
/// means a workload runs as that person (`human-in-automation`, OWASP NHI1): when the person
/// leaves, the pipeline breaks or, far more often, the token stays active.
///
/// Decided by path inside the repository (docs/environments.md lists the conventions). CI files
/// are automation wherever they are (`.github/workflows/test.yml` runs in CI); otherwise test,
/// fixture and documentation paths are not, and neither are a developer's own local files
/// (`.envrc`, `.env.local`, `local.properties`) or examples (`.env.example`, `*.sample`).
public enum Automation: String, Sendable, CaseIterable {
    case ci
    case iac
    case container
    case kubernetes
    case serviceConfiguration = "service-config"

    public static func of(path: String) -> Automation? {
        let lowered = path.lowercased()
        let components = lowered.split(separator: "/")
        guard let name = components.last.map(String.init) else { return nil }
        let folders = Set(components.dropLast().map(String.init))
        let fileExtension = GenericContext.fileExtension(ofName: name)
        let isYAML = fileExtension == "yml" || fileExtension == "yaml"

        if folders.contains(".github") && (folders.contains("workflows") || folders.contains("actions")) || ciFiles.contains(name)
            || name.hasPrefix("jenkinsfile") || name.hasPrefix("azure-pipelines") || name.hasSuffix(".gitlab-ci.yml")
            || !folders.isDisjoint(with: ciFolders) && (isYAML || fileExtension == "sh" || fileExtension == "kts") {
            return .ci
        }
        guard !GenericContext.isNonProduction(path), !isPersonalOrExample(name, fileExtension) else { return nil }
        if iacExtensions.contains(fileExtension) || name.hasSuffix(".tf.json") || name.hasPrefix("pulumi.") && isYAML
            || name == "serverless.yml" || name == "serverless.yaml" || folders.contains("terraform.tfstate.d")
            || (folders.contains("group_vars") || folders.contains("host_vars") || folders.contains("playbooks")
                || name.hasPrefix("playbook")) && (isYAML || fileExtension.isEmpty)
            || name.hasPrefix("cloudformation") || name.hasSuffix(".cfn.yml") || name.hasSuffix(".cfn.yaml") {
            return .iac
        }
        if name == "dockerfile" || name.hasPrefix("dockerfile.") || name.hasSuffix(".dockerfile") || name == "containerfile"
            || (name.hasPrefix("docker-compose") || name.hasPrefix("compose.") || name.hasPrefix("compose-")) && isYAML {
            return .container
        }
        if isYAML && (!folders.isDisjoint(with: kubernetesFolders) || isHelmValues(name) || name == "chart.yaml"
                      || name.hasPrefix("kustomization") || name == "helmfile.yaml")
            || name == "kubeconfig" || name.hasSuffix(".kubeconfig") || folders.contains(".kube") && name == "config" {
            return .kubernetes
        }
        if Environment.isDotenv(name) || serviceFiles.contains(name) || serviceExtensions.contains(fileExtension)
            || (name.hasPrefix("application") || name.hasPrefix("appsettings") || name.hasPrefix("bootstrap"))
                && (isYAML || fileExtension == "json" || fileExtension == "properties")
            || !folders.isDisjoint(with: configurationFolders) && (isYAML || fileExtension == "json" || fileExtension == "toml") {
            return .serviceConfiguration
        }
        return nil
    }

    /// A developer's own local configuration or a file of examples: not what a workload runs on.
    static func isPersonalOrExample(_ name: String, _ fileExtension: String) -> Bool {
        if name == ".envrc" || name == "local.properties" || name == ".env.local" { return true }
        if name.hasPrefix(".env.") && name.hasSuffix(".local") { return true }
        return GenericContext.isExampleFile(name: name, fileExtension: fileExtension)
    }

    /// Helm values files: `values.yaml`, `values-prod.yaml`, `values.staging.yaml`, `values_dev.yml`.
    static func isHelmValues(_ name: String) -> Bool {
        guard name.hasPrefix("values") else { return false }
        let rest = name.dropFirst("values".count)
        return rest.first == "." || rest.first == "-" || rest.first == "_"
    }

    static let ciFiles: Set<String> = [
        ".gitlab-ci.yml", ".travis.yml", "bitbucket-pipelines.yml", ".drone.yml", ".woodpecker.yml", "cloudbuild.yaml",
        "cloudbuild.yml", "buildspec.yml", "buildspec.yaml", "appveyor.yml", ".appveyor.yml", "codemagic.yaml",
        "azure-pipelines.yml", "wercker.yml", "bamboo-specs.yaml", ".cirrus.yml", "codefresh.yml", "taskcluster.yml",
    ]
    static let ciFolders: Set<String> = [".circleci", ".buildkite", ".gitlab", ".woodpecker", ".teamcity", ".tekton", "tekton", ".azure-pipelines", ".ci"]
    static let iacExtensions: Set<String> = ["tf", "tfvars", "tfstate", "hcl", "bicep", "pp"]
    static let kubernetesFolders: Set<String> = [
        "k8s", "kubernetes", "kube", "manifests", "helm", "charts", "kustomize", "overlays", "argocd", "flux",
    ]
    static let serviceFiles: Set<String> = ["supervisord.conf", "crontab", "nginx.conf", "httpd.conf", "my.cnf", "pgbouncer.ini"]
    static let serviceExtensions: Set<String> = ["service", "properties", "ini", "conf", "cfg", "env"]
    static let configurationFolders: Set<String> = ["config", "configs", "conf", "settings", "etc", "deploy", "deployment"]
}
