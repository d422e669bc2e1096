import Logging

/// `canary`: does nothing but take `jobs.canary.duration` and succeed (or fail, with `jobs.canary.fail: true`).
/// `inclusionctl job run canary --wait` checks a deployment end to end: a live daemon, job claiming, reporting.
public struct CanaryJob: DaemonJob {
    public static let name = "canary"
    /// None: the canary runs only when asked.
    public static let defaultSchedule: Schedule? = nil

    public init() {}

    public func run(_ context: JobContext) async throws {
        try await Task.sleep(for: context.settings.duration.duration)
        if context.settings.fail {
            throw JobFailure(description: "the canary is configured to fail (jobs.canary.fail)")
        }
        context.logger.info("canary sang")
    }
}
