import ArgumentParser
import SprawlCore

struct SignaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "List or check signatures.",
        subcommands: [List.self, Check.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules: id, kind and name.")
        @OptionGroup var scan: ScanOptions

        func run() throws {
            let matcher = try scan.makeMatcher()
            var out = ""
            for signature in matcher.signatures {
                out += signature.id.padding(toLength: 36, withPad: " ", startingAt: 0) + " "
                    + signature.kind.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0) + " " + signature.name + "\n"
            }
            out += "\(matcher.signatures.count) rules\n"
            Output.write(out)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every rule: compiles, examples match exactly, negative examples do not.")
        @OptionGroup var scan: ScanOptions

        func run() throws {
            let matcher = try scan.makeMatcher()
            let problems = SignatureChecker(matcher: matcher).check()
            for problem in problems { Output.write(problem.description + "\n") }
            Output.write("\(matcher.signatures.count) rules checked, \(problems.count) problems\n")
            if !problems.isEmpty { throw ExitCode(2) }
        }
    }
}
