import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands one email to `sendmail(8)` (`<path> -t -i`, recipients taken from the headers) and says how it went.
///
/// Nothing here blocks a Swift concurrency thread: the message is written to the child's stdin on a Dispatch
/// thread, and the exit is reported by `Process`'s termination handler. sendmail's own output is discarded, since
/// it may echo addresses; the outcome's reason carries only the exit status.
///
/// | sendmail | outcome |
/// |---|---|
/// | exit 0, having read the whole message | `delivered` |
/// | exit 75 (EX_TEMPFAIL), killed by a signal, cannot start, timed out (then killed), stdin closed early | `retry` |
/// | any other exit status | `failed` |
public final class SendmailTransport: Sendable {
    public static let defaultPath = "/usr/sbin/sendmail"
    public static let defaultTimeout: Duration = .seconds(30)
    static let temporaryFailure: Int32 = 75

    public let path: String
    public let timeout: Duration

    public init(path: String = defaultPath, timeout: Duration = defaultTimeout) {
        self.path = path
        self.timeout = timeout
    }

    /// Sends `message`, dated `now`.
    public func send(_ message: EmailMessage, now: Date = Date()) async -> DeliveryOutcome {
        let bytes: [UInt8]
        do {
            bytes = try message.rendered(date: now)
        } catch {
            return .failed(reason: error.description)
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .retry(after: nil, reason: "cannot start sendmail: \(path) is not an executable file")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-i"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let attempt = SendmailAttempt()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let timeoutText = "\(timeout.components.seconds) s"

        return await withCheckedContinuation { continuation in
            attempt.await(continuation, timeout: timeoutText)
            process.terminationHandler = { finished in
                attempt.exited(reason: finished.terminationReason, status: finished.terminationStatus)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                attempt.couldNotStart("cannot start sendmail at \(path)")
                return
            }
            // `run()` has closed our copy of the pipe's read end, so a child that exits early makes the write below
            // fail with EPIPE rather than block on a full pipe.
            // Private queues, not the global one: its few worker threads (one per core) can all be busy with
            // blocking work elsewhere, and a timer queued behind them would let a hung sendmail run on.
            let pid = process.processIdentifier
            DispatchQueue(label: "inclusiond.sendmail.timeout").asyncAfter(deadline: .now() + seconds) {
                attempt.timeOut(pid: pid)
            }
            let writer = input.fileHandleForWriting
            DispatchQueue(label: "inclusiond.sendmail.input").async {
                let complete = Self.writeAll(bytes, to: writer.fileDescriptor)
                try? writer.close()
                attempt.inputWritten(complete)
            }
        }
    }

    /// Writes all of `bytes` to the pipe `descriptor` (blocking), and says whether they all went.
    ///
    /// A child that exits without reading its input makes `write` fail with EPIPE and raise SIGPIPE, whose default
    /// action would end the daemon. SIGPIPE from `write` is sent to the writing thread, so it is blocked on this
    /// thread alone while writing and a pending one is taken before the old mask comes back: the process-wide
    /// disposition is left as it is.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &noWait)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        return bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// The outcome of a finished child; `inputComplete` says whether it took the whole message.
    static func outcome(
        reason: Process.TerminationReason,
        status: Int32,
        inputComplete: Bool,
        timedOut: String?
    ) -> DeliveryOutcome {
        if let timedOut { return .retry(after: nil, reason: "sendmail timed out after \(timedOut) and was killed") }
        switch reason {
        case .uncaughtSignal:
            return .retry(after: nil, reason: "sendmail was killed by signal \(status)")
        case .exit where status == 0 && inputComplete:
            return .delivered
        case .exit where status == 0:
            return .retry(after: nil, reason: "sendmail exited 0 before reading the whole message")
        case .exit where status == temporaryFailure:
            return .retry(after: nil, reason: "sendmail exit 75 (temporary failure)")
        case .exit:
            return .failed(reason: "sendmail exit \(status)")
        @unknown default:
            return .retry(after: nil, reason: "sendmail ended with status \(status)")
        }
    }
}

/// One sendmail run's progress: the child's exit and the end of writing its input can come in either order, and
/// the outcome is reported once both are in (or at once, if the child never started).
private final class SendmailAttempt: Sendable {
    private struct State {
        var continuation: CheckedContinuation<DeliveryOutcome, Never>?
        var timeout = ""
        var exit: (reason: Process.TerminationReason, status: Int32)?
        var inputComplete: Bool?
        var timedOut = false
    }

    private let state = Mutex(State())

    func await(_ continuation: CheckedContinuation<DeliveryOutcome, Never>, timeout: String) {
        state.withLock {
            $0.continuation = continuation
            $0.timeout = timeout
        }
    }

    func couldNotStart(_ reason: String) {
        let continuation = state.withLock { $0.continuation.take() }
        continuation?.resume(returning: .retry(after: nil, reason: reason))
    }

    func exited(reason: Process.TerminationReason, status: Int32) {
        finish { $0.exit = (reason, status) }
    }

    func inputWritten(_ complete: Bool) {
        finish { $0.inputComplete = complete }
    }

    /// Kills the child and whatever it started (`Process` gives it a process group of its own) if it has not
    /// exited. Done under the lock that `exited` takes, so a child reported as exited is never signalled.
    func timeOut(pid: Int32) {
        state.withLock { state in
            guard state.exit == nil, state.continuation != nil else { return }
            state.timedOut = true
            kill(-pid, SIGKILL)
        }
    }

    private func finish(_ record: (inout State) -> Void) {
        let result: (CheckedContinuation<DeliveryOutcome, Never>, DeliveryOutcome)? = state.withLock { state in
            record(&state)
            guard let exit = state.exit, let inputComplete = state.inputComplete,
                let continuation = state.continuation.take()
            else { return nil }
            let outcome = SendmailTransport.outcome(
                reason: exit.reason,
                status: exit.status,
                inputComplete: inputComplete,
                timedOut: state.timedOut ? state.timeout : nil
            )
            return (continuation, outcome)
        }
        if let (continuation, outcome) = result { continuation.resume(returning: outcome) }
    }
}
