// swift-tools-version:6.0
import PackageDescription

// Linux only (glibc): the git and file readers use pipe2, F_SETPIPE_SZ and Glibc directly, and
// nothing else is built or tested. `Sources/SprawlCore/Support/Platform.swift` says so at compile
// time rather than letting another platform fail somewhere inside.
let package = Package(
    name: "sprawl",
    products: [
        .executable(name: "sprawl", targets: ["sprawl"]),
        .library(name: "SprawlCore", targets: ["SprawlCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(name: "CShims"),
        .target(
            name: "SprawlCore",
            dependencies: [
                "CPCRE2",
                "CShims",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: [
                // The scanning loops touch class-owned buffers per byte; dynamic exclusivity
                // checks cost a few percent there. Debug builds (and so the tests) keep them.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
            ]
        ),
        // The store of sweeps (`--store`, `sprawl diff`): its own module, so that the scanner
        // itself does not depend on SQLite.
        .target(
            name: "SprawlStore",
            dependencies: ["SprawlCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "sprawl",
            dependencies: [
                "SprawlCore",
                "SprawlStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "SprawlTestSupport",
            dependencies: ["SprawlCore"],
            path: "Tests/SprawlTestSupport"
        ),
        .testTarget(
            name: "SprawlCoreTests",
            dependencies: ["SprawlCore", "SprawlTestSupport"]
        ),
        .testTarget(
            name: "SignatureTests",
            dependencies: ["SprawlCore", "SprawlTestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SprawlCore", "SprawlTestSupport", "sprawl", .product(name: "Yams", package: "Yams")]
        ),
    ]
)
