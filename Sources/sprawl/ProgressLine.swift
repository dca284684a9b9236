import Foundation
import SprawlCore

/// A progress line on standard error while a scan runs — only when standard error is a terminal
/// (a CI log or a redirected stream gets nothing). Redrawn four times a second from its own
/// thread: `scan: 1,204/3,310 objects, 84.2 MiB, 3 findings, 61.0 MiB/s`.
final class ProgressLine: @unchecked Sendable {
    // Safety (@unchecked Sendable): `running` is read and written only while holding `lock`; the
    // progress counters are thread-safe themselves.
    let progress = ScanProgress()
    private let noun: String
    private let lock = NSLock()
    private var running = true
    private let finished = DispatchSemaphore(value: 0)
    private let start = Date()

    /// Starts drawing if standard error is a terminal; otherwise returns nil and costs nothing.
    static func start(noun: String) -> ProgressLine? {
        guard Output.isStderrTerminal else { return nil }
        let line = ProgressLine(noun: noun)
        Thread.detachNewThread { line.run() }
        return line
    }

    private init(noun: String) { self.noun = noun }

    private func run() {
        while true {
            lock.lock()
            let keepGoing = running
            lock.unlock()
            draw(final: !keepGoing)
            if !keepGoing { break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        finished.signal()
    }

    /// Draws the final state, ends the line and stops the thread.
    func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        if wasRunning { finished.wait() }
    }

    private func draw(final: Bool) {
        let now = progress.snapshot
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let megabytes = Double(now.bytes) / 1_048_576
        var text = "scan: " + Self.grouped(now.done) + (now.total.map { "/" + Self.grouped($0) } ?? "") + " \(noun)"
        text += String(format: ", %.1f MiB, ", megabytes) + Self.grouped(now.findings) + (now.findings == 1 ? " finding" : " findings")
        text += String(format: ", %.1f MiB/s", megabytes / seconds)
        Output.write("\r\u{1B}[K" + text + (final ? "\n" : ""), to: STDERR_FILENO)
    }

    private static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
