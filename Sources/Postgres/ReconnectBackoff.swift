/// When a lost connection may be tried again: capped exponential backoff after consecutive failures.
///
/// A pure decision (it takes `now`), so tests drive it without a clock or a server.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The wait after the first failure; each further failure doubles it, up to ``cap``.
    public var initial: Duration
    /// The longest wait between attempts.
    public var cap: Duration
    /// Consecutive failed attempts since the last success.
    public private(set) var failures = 0
    /// The earliest instant the next attempt may be made.
    public private(set) var nextAttempt: ContinuousClock.Instant?

    public init(initial: Duration = .milliseconds(100), cap: Duration = .seconds(5)) {
        self.initial = initial
        self.cap = cap
    }

    /// Whether an attempt may be made at `now`.
    public func allowsAttempt(at now: ContinuousClock.Instant) -> Bool {
        nextAttempt.map { now >= $0 } ?? true
    }

    /// The wait after `failures` consecutive failures.
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var wait = initial
        for _ in 1..<min(failures, 64) where wait < cap { wait *= 2 }
        return min(wait, cap)
    }

    /// Records a failed attempt at `now`; returns the wait before the next.
    @discardableResult
    public mutating func failed(at now: ContinuousClock.Instant) -> Duration {
        failures += 1
        let wait = delay(afterFailures: failures)
        nextAttempt = now + wait
        return wait
    }

    /// Records a successful connection.
    public mutating func succeeded() {
        failures = 0
        nextAttempt = nil
    }
}
