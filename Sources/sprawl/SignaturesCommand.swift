import Foundation
import ArgumentParser
import SprawlCore

struct SignaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "List or check signatures.",
        subcommands: [List.self, Check.self, Profile.self],
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

    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time each rule alone on files: which rules make a file slow to scan.",
            discussion: """
                Every rule whose keywords occur in a file is run by itself over the whole file \
                (prefilter, windows, PCRE2, validators) and timed; the slowest are listed with \
                their throughput and match count. For rule authors: a rule far slower than the \
                others on some input usually backtracks, and a possessive quantifier or a \
                tighter bound fixes it.
                """)
        @OptionGroup var scan: ScanOptions
        @Argument(help: "Files to time the rules on.") var files: [String]
        @Option(help: "How many rules to list.") var top = 15

        func run() throws {
            let matcher = try scan.makeMatcher()
            var out = ""
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("\(file): cannot read")
                }
                let timings = data.withUnsafeBytes { SignatureProfiler(matcher: matcher).profile($0) }
                out += "\(file): \(data.count) bytes, \(timings.count) rules triggered\n"
                for timing in timings.prefix(top) {
                    let megabytesPerSecond = Double(data.count) / 1e6 / max(timing.seconds, 1e-9)
                    out += "  " + matcher.signatures[timing.rule].id.padding(toLength: 40, withPad: " ", startingAt: 0)
                        + String(format: " %9.4f s %10.1f MB/s %8d matches\n", timing.seconds, megabytesPerSecond, timing.matches)
                }
            }
            Output.write(out)
        }
    }
}
