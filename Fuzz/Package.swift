// swift-tools-version:6.0
// libFuzzer harnesses for sprawl's parsers and matcher. Built only by scripts/fuzz, with
// `--sanitize=fuzzer --sanitize=address` and testing enabled (the harnesses reach internal
// parsers through @testable import); the main package never builds them.
import PackageDescription

let harnesses = ["FuzzMatcher", "FuzzInventory", "FuzzIgnoreFile", "FuzzBaseline", "FuzzGlob", "FuzzGitParsers", "FuzzSignatures", "FuzzContext", "FuzzPackReader"]

let package = Package(
    name: "sprawl-fuzz",
    dependencies: [.package(name: "sprawl", path: "..")],
    targets: harnesses.map { name in
        .executableTarget(name: name, dependencies: [.product(name: "SprawlCore", package: "sprawl")], path: "Sources/\(name)")
    }
)
