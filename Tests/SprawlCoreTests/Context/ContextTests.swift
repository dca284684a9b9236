import Foundation
import Testing
@testable import SprawlCore

/// The documented conventions (docs/environments.md): which paths name an environment, which
/// files drive automation, and git's dates.
@Suite struct ContextTests {
    @Test(arguments: [
        (".env.production", "production"), (".env.prod", "production"), (".env.development.local", "development"),
        (".env.test.local", "test"), (".env.staging", "staging"), ("prod.env", "production"), (".env.local", "development"),
        ("charts/api/values-prod.yaml", "production"), ("charts/api/values.staging.yaml", "staging"),
        ("charts/api/values_dev.yml", "development"), ("src/main/resources/application-test.yml", "test"),
        ("Api/appsettings.Development.json", "development"), ("docker-compose.prod.yml", "production"),
        ("infra/prod.tfvars", "production"), ("infra/production.auto.tfvars", "production"),
        ("config/environments/production.rb", "production"), ("mysite/settings/local.py", "development"),
        ("config/prod.exs", "production"), ("k8s/prod/deployment.yaml", "production"),
        ("k8s/overlays/staging/kustomization.yaml", "staging"), ("deploy/prod-eu/values.yaml", "production"),
        ("terraform.tfstate.d/uat/terraform.tfstate", "test"), ("environments/qa/main.tf", "test"),
        ("services/api/prod/config.json", "production"), ("envs/sandbox-dev/vars.yml", "development"),
    ])
    func pathsThatNameAnEnvironment(path: String, expected: String) {
        #expect(Environment.of(path: path)?.rawValue == expected, "\(path)")
    }

    @Test(arguments: [
        "tests/test_api.py", "Tests/AppTests/test.swift", "src/testing/helpers.go", "test/fixtures/config.yml",
        "scripts/dev-tools/run.sh", "docs/local-setup.md", "src/production_line.swift", "lib/stage_manager.rb",
        "README.md", ".env", "config/app.yml", "src/test.py",
    ])
    func pathsThatNameNone(path: String) {
        #expect(Environment.of(path: path) == nil, "\(path): \(String(describing: Environment.of(path: path)))")
    }

    @Test(arguments: [
        (".github/workflows/ci.yml", "ci"), (".gitlab-ci.yml", "ci"), ("Jenkinsfile", "ci"), (".circleci/config.yml", "ci"),
        ("azure-pipelines.yml", "ci"), ("bitbucket-pipelines.yml", "ci"), (".buildkite/pipeline.yml", "ci"),
        ("infra/main.tf", "iac"), ("infra/prod.tfvars", "iac"), ("ansible/group_vars/all.yml", "iac"),
        ("Dockerfile", "container"), ("docker/api.Dockerfile", "container"), ("docker-compose.override.yml", "container"),
        ("k8s/deployment.yaml", "kubernetes"), ("charts/api/values.yaml", "kubernetes"), ("kustomization.yaml", "kubernetes"),
        (".env", "service-config"), ("api/.env.production", "service-config"), ("src/main/resources/application.yml", "service-config"),
        ("config/database.yml", "service-config"), ("etc/app.conf", "service-config"),
        (".github/workflows/test.yml", "ci"), (".github/workflows/release-latest.yml", "ci"),
    ])
    func automationFiles(path: String, expected: String) {
        #expect(Automation.of(path: path)?.rawValue == expected, "\(path)")
    }

    @Test(arguments: ["README.md", "src/app.swift", "docs/setup.md", "tests/.env", "test/fixtures/k8s/secret.yaml", "notes.txt",
                      ".envrc", ".env.local", ".env.development.local", ".env.example", ".env.sample", "config/app.sample.yml",
                      "android/local.properties", "web/templates/page.yaml", "src/valuesets.yml"])
    func notAutomation(path: String) {
        #expect(Automation.of(path: path) == nil, "\(path): \(String(describing: Automation.of(path: path)))")
    }

    @Test func declaredEnvironmentVariablesNameTheFile() {
        func environment(_ text: String, _ path: String = "deploy/app.env", line: Int = 1) -> Environment? {
            Array(text.utf8).withUnsafeBytes { EnvironmentInContent($0, path: path).environment(atLine: line) }
        }
        #expect(environment("NODE_ENV=production\nAPI_KEY=x\n") == .production)
        #expect(environment("RAILS_ENV: staging\n", "config/app.yml") == .staging)
        #expect(environment("FROM node\nENV NODE_ENV production\n", "Dockerfile") == .production)
        #expect(environment("NODE_ENV=production\nNODE_ENV=development\n") == nil, "two environments: none")
        #expect(environment("if (process.env.NODE_ENV === 'production') {}", "src/app.js") == nil, "code is not configuration")
        #expect(environment("build:\n  stage: test\ndeploy:\n  stage: deploy\n", ".gitlab-ci.yml") == nil, "job keys are not variables")
        #expect(environment("jobs:\n  a:\n    environment: production\n  b:\n    runs-on: x\n", ".github/workflows/x.yml", line: 5) == nil,
                "a job without an environment does not take another job's")
        let crlf = "apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  namespace: payments-prod\r\nstringData:\r\n  key: v\r\n"
        #expect(environment(crlf, "k8s/secret.yaml", line: 6) == .production, "CRLF lines are lines")
    }

    @Test func gitDatesAreInstants() {
        #expect(GitDate.seconds("1970-01-01T00:00:00Z") == 0)
        #expect(GitDate.seconds("1970-01-01T01:00:00+01:00") == 0)
        #expect(GitDate.seconds("2026-03-01T09:30:15-05:00") == GitDate.seconds("2026-03-01T14:30:15Z"))
        #expect(GitDate.seconds("2026-03-01") == nil)
        #expect(GitDate.seconds("2026-03-01T09:30:15+0500") == nil)
    }

    @Test func treeListingsGiveBlobsNotSubmodules() {
        let listing = "100644 blob 1111111111111111111111111111111111111111\ta b.txt\u{0}"
            + "160000 commit 2222222222222222222222222222222222222222\tvendor/lib\u{0}"
            + "100755 blob 3333333333333333333333333333333333333333\tbin/run\u{0}"
        #expect(GitHistorySource.parseTreeBlobs(Array(listing.utf8))
                == ["1111111111111111111111111111111111111111", "3333333333333333333333333333333333333333"])
    }
}
