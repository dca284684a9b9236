import ArgumentParser
import Foundation
import SprawlCore

struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Manage the git pre-commit hook.",
        subcommands: [Install.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write .git/hooks/pre-commit to run `sprawl scan --staged` before every commit.",
            discussion: """
                Respects core.hooksPath. An existing hook that sprawl did not write is left alone \
                unless --force is given (it is then replaced; keep a copy if you need it).
                """)

        @Option(help: "The repository (default: the current directory).")
        var repository: String = "."

        @Flag(help: "Replace an existing pre-commit hook that sprawl did not write.")
        var force = false

        static let marker = "# installed by: sprawl hook install"

        func run() throws {
            let git = GitCommand(repository: repository)
            let hooks: String
            do {
                let relative = String(decoding: try git.output(["rev-parse", "--git-path", "hooks"]), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                hooks = relative.hasPrefix("/") ? relative : repository + "/" + relative
            } catch { throw SprawlFailure("\(repository): not a git repository (\(error.message))") }
            let path = hooks + "/pre-commit"
            if let existing = FileManager.default.contents(atPath: path),
               !String(decoding: existing, as: UTF8.self).contains(Self.marker), !force {
                throw SprawlFailure("\(path): a pre-commit hook already exists and was not written by sprawl; use --force to replace it")
            }
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
            let script = """
                #!/bin/sh
                \(Self.marker)
                # Blocks a commit that adds a secret. Bypass once with: git commit --no-verify
                SPRAWL="\(binary)"
                [ -x "$SPRAWL" ] || SPRAWL=sprawl
                exec "$SPRAWL" scan --staged

                """
            do {
                try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
                try Data(script.utf8).write(to: URL(fileURLWithPath: path))
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            } catch { throw SprawlFailure("\(path): cannot write hook: \(error.localizedDescription)") }
            Output.write("installed \(path)\n")
        }
    }
}
