import InclusionCore
public import Postgres

/// What the review sweep finds as of a day: active plans whose review is due soon or has passed. Set-based, one
/// statement, cost growing with the open plans (the partial index on active plans), not with history.
public struct ReviewSweepCounts: Sendable, Equatable {
    public let activePlans: Int
    public let dueSoon: Int
    public let overdue: Int
}

/// The review sweep's queries. The alert rules of DESIGN §4 come with the alerts issue; this counts reviews due.
public struct ReviewSweep {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    public func counts(asOf day: Day, daysAhead: Int) throws(StoreError) -> ReviewSweepCounts {
        try StoreError.translating {
            let row = try connection.run(
                """
                SELECT count(*) AS active_plans,
                       count(*) FILTER (WHERE next_review_due BETWEEN $1::date AND $1::date + $2::integer) AS due_soon,
                       count(*) FILTER (WHERE next_review_due < $1::date) AS overdue
                FROM inclusion.support_plan WHERE status = 'active'
                """,
                [day, daysAhead]
            )[0]
            return ReviewSweepCounts(
                activePlans: try row.decode(Int.self, "active_plans"),
                dueSoon: try row.decode(Int.self, "due_soon"),
                overdue: try row.decode(Int.self, "overdue")
            )
        }
    }
}
