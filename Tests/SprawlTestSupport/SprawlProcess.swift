import Foundation

/// Runs the built `sprawl` binary and captures what it printed and how it exited.
///
/// The binary is `SPRAWL_TEST_BINARY` when set, else the one SwiftPM built next to the test bundle.
public struct SprawlProcess {
    public struct Output {
        public let stdout: String
        public let stderr: String
        public let status: Int32

        /// The JSON report printed on stdout.
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }
        public var findings: [[String: Any]] { json["findings"] as? [[String: Any]] ?? [] }
        public var credentials: [[String: Any]] { json["credentials"] as? [[String: Any]] ?? [] }
        public var summary: [String: Any] { json["summary"] as? [String: Any] ?? [:] }

        /// For failure messages: expected and got, fenced.
        public var transcript: String {
            "exit status \(status)\n```stdout\n\(stdout)\n```\n```stderr\n\(stderr)\n```"
        }
    }

    public static var binary: String {
        if let override = ProcessInfo.processInfo.environment["SPRAWL_TEST_BINARY"] { return override }
        // Tests run from .build/<config>/<bundle>.xctest; the binary sits in .build/<config>/.
        var directory = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? Bundle.main.bundlePath)
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("sprawl").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        for configuration in ["debug", "release"] {
            let candidate = FileManager.default.currentDirectoryPath + "/.build/\(configuration)/sprawl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "sprawl"
    }

    /// Runs `sprawl arguments...` in `directory` with `stdin` as standard input.
    public static func run(_ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                           environment: [String: String] = [:]) -> Output {
        launch(binary, arguments, in: directory, stdin: stdin, environment: environment)
    }

    /// Runs another program (found in PATH), e.g. `["python3", "-c", …]` or `["bash", "-c", …]`.
    public static func command(_ arguments: [String], in directory: String? = nil) -> Output {
        launch("/usr/bin/env", arguments, in: directory, stdin: nil, environment: [:])
    }

    private static func launch(_ executable: String, _ arguments: [String], in directory: String?, stdin: String?,
                               environment: [String: String]) -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SPRAWL_FINGERPRINT_KEY")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try! process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large report cannot fill a pipe and block.
        let stderrBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderrBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let stderrData = stderrBox.data
        process.waitUntilExit()
        return Output(stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self),
                      status: process.terminationStatus)
    }
}

/// Holds the bytes read on another thread; the DispatchGroup orders the write before the read.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
