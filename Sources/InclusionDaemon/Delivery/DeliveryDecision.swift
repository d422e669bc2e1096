import InclusionCore

/// What the delivery service does with a delivery after one attempt: a pure function of the outcome, the attempts
/// made and the retry schedule, so that the schedule's edges are tested without a clock or a receiver.
enum DeliveryDecision: Sendable, Equatable {
    /// Record it delivered.
    case delivered
    /// Try again after this long.
    case retry(after: Duration, reason: String)
    /// The schedule is used up: dead, for `alert deliveries --dead` and `alert redeliver`.
    case dead(reason: String)
    /// The endpoint is gone (410): disable the channel; the delivery waits for `alert webhook enable`.
    case disableChannel(reason: String)

    /// - Parameters:
    ///   - attempts: attempts made so far, this one included.
    ///   - jitter: in 0..<1, spreading the schedule's wait (see ``RetrySchedule``).
    static func after(
        _ outcome: DeliveryOutcome,
        attempts: Int,
        schedule: RetrySchedule,
        jitter: Double
    ) -> DeliveryDecision {
        let reason: String
        let retryAfter: Duration?
        switch outcome {
        case .delivered:
            return .delivered
        case .gone(let why):
            return .disableChannel(reason: why)
        case .retry(let after, let why):
            reason = why
            retryAfter = after
        case .failed(let why):
            // A refusal may be a receiver's misconfiguration, fixed within the schedule's hours: tried again like
            // any failure (Standard Webhooks retries every non-2xx answer but 410).
            reason = why
            retryAfter = nil
        }
        guard let wait = schedule.delay(afterFailedAttempts: attempts, retryAfter: retryAfter, jitter: jitter) else {
            return .dead(reason: "\(reason); gave up after \(attempts) attempt\(attempts == 1 ? "" : "s")")
        }
        return .retry(after: wait, reason: reason)
    }
}
