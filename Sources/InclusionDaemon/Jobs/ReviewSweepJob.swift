import InclusionStore
import Logging

/// `review-sweep`: evaluates the review rules as of a day. In this version it counts active plans whose review is
/// due within 14 days or overdue, in one set-based statement, and logs the counts; the alert rules of DESIGN §4
/// build on it.
public struct ReviewSweepJob: DaemonJob {
    public static let name = "review-sweep"

    public init() {}

    public func run(_ context: JobContext) async throws {
        let asOf = context.asOf
        let counts = try await context.session.run { connection in
            try ReviewSweep(connection: connection).counts(asOf: asOf, daysAhead: 14)
        }
        context.logger.info(
            "review sweep done",
            metadata: [
                "sweep.as_of": "\(asOf)", "plans.active": "\(counts.activePlans)",
                "plans.due_soon": "\(counts.dueSoon)",
                "plans.overdue": "\(counts.overdue)",
            ]
        )
    }
}
