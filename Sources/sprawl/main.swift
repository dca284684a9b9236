#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SprawlCore

// The CLI owns main(): ArgumentParser's own exit codes (64 for usage, 1 for any error) clash
// with the contract (1 = findings, 2 = usage, configuration or input error).
// A closed stdout (`sprawl scan | head -1`) must not kill the process with SIGPIPE; writes
// report EPIPE instead and Output stops writing quietly.
signal(SIGPIPE, SIG_IGN)

do {
    var command = try SprawlCommand.parseAsRoot()
    try command.run()
    exit(0)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as SprawlFailure {
    Output.error(error.message)
    exit(2)
} catch {
    let code = SprawlCommand.exitCode(for: error)
    let message = SprawlCommand.fullMessage(for: error)
    if code == .success {
        Output.write(message + "\n")
        exit(0)
    }
    Output.error(message)
    exit(2)
}
