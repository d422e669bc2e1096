/// When a failed delivery is tried again (`alerts.retry-schedule`, DESIGN §6): the waits after the first, second, …
/// failed attempt; once they are used up the delivery is dead. Each wait is spread by ±20% jitter so that many
/// deliveries failing together (a receiver down) do not all come back in the same second; a receiver's own
/// `Retry-After` is honoured when it asks for longer.
public struct RetrySchedule: Sendable, Equatable, CustomStringConvertible {
    /// The waits after each failed attempt, in order.
    public let delays: [Duration]

    /// Standard Webhooks' schedule: 5s, 5min, 30min, 2h, 5h, 10h, 10h (eight attempts over about 27 hours).
    public static let standard = RetrySchedule(
        delays: [
            .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000), .seconds(36_000),
            .seconds(36_000),
        ]
    )

    /// The longest wait a receiver's `Retry-After` may ask for.
    public static let longestRetryAfter = Duration.seconds(86_400)

    public init(delays: [Duration]) { self.delays = delays }

    /// Attempts in all: the first and one per wait.
    public var attempts: Int { delays.count + 1 }

    /// The wait before the next attempt once `failedAttempts` attempts (1 or more) have failed, or nil when the
    /// schedule is used up and the delivery is dead.
    ///
    /// - Parameters:
    ///   - retryAfter: what the receiver asked for (`Retry-After`), if anything; taken when longer than the
    ///     schedule's wait, capped at ``longestRetryAfter``.
    ///   - jitter: a number in 0..<1 (random in production, fixed in tests) spreading the wait over 80%–120%.
    public func delay(afterFailedAttempts failedAttempts: Int, retryAfter: Duration? = nil, jitter: Double)
        -> Duration?
    {
        guard failedAttempts >= 1, failedAttempts <= delays.count else { return nil }
        let factor = 0.8 + 0.4 * min(max(jitter, 0), 1)
        let (seconds, attoseconds) = delays[failedAttempts - 1].components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        let scheduled = Duration.milliseconds(Int64((milliseconds * factor).rounded()))
        guard let retryAfter else { return scheduled }
        return max(scheduled, min(retryAfter, Self.longestRetryAfter))
    }

    public var description: String { delays.map { "\($0.components.seconds)s" }.joined(separator: ", ") }
}
