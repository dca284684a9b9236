#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SprawlCore

/// Writes to stdout and stderr through `write(2)`, stopping quietly when the reader has gone.
enum Output {
    nonisolated(unsafe) private static var stdoutClosed = false

    static func write(_ text: String, to descriptor: Int32 = STDOUT_FILENO) {
        if descriptor == STDOUT_FILENO && stdoutClosed { return }
        if !Descriptor.writeAll(Array(text.utf8), to: descriptor) && descriptor == STDOUT_FILENO { stdoutClosed = true }
    }

    static func error(_ message: String) { write("sprawl: error: \(message)\n", to: STDERR_FILENO) }
    static func warning(_ message: String) { write("sprawl: warning: \(message)\n", to: STDERR_FILENO) }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var isStderrTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes a report to `--output FILE`, or stdout.
    static func emit(_ text: String, to path: String?) throws(SprawlFailure) {
        guard let path else { return write(text) }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw SprawlFailure("\(path): cannot write report: \(error.localizedDescription)")
        }
    }
}

/// A configuration, usage or input error, printed as one line; exits with code 2.
struct SprawlFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
    init(_ error: SignatureError) { message = error.description }
    init(_ error: InventoryError) { message = error.description }
    init(_ error: ScanError) { message = error.description }
}
