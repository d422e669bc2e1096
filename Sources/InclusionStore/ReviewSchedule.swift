public import InclusionCore
public import Postgres

/// A review that falls due: a SEN support plan's next review, or an EHC plan's statutory last day (the anniversary
/// of its issue or last review, minus one day: s44(1)), as `review list` prints it.
public struct DueReview: Codable, Sendable, Equatable {
    public let plan: Int64
    public let upn: String
    public let schoolURN: Int
    public let kind: PlanKind
    public let dueOn: Day
    public let overdue: Bool

    enum CodingKeys: String, CodingKey {
        case plan, upn, kind, overdue
        case schoolURN = "school_urn"
        case dueOn = "due_on"
    }
}

/// The reviews of the caller's active plans, by due day, as of a day (row-level security decides which plans).
public struct ReviewSchedule {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Reviews due on or before `asOf + withinDays` (every active plan's when nil); only those overdue with
    /// `overdueOnly`. Leavers are left out.
    public func due(asOf: Day, withinDays: Int?, overdueOnly: Bool) throws(StoreError) -> [DueReview] {
        try StoreError.translating {
            let rows = try connection.run(
                """
                SELECT sp.id, p.upn, s.urn, sp.kind, sp.next_review_due, sp.last_reviewed, sp.issued_on, sp.starts
                FROM inclusion.support_plan sp
                JOIN inclusion.pupil p ON p.school_id = sp.school_id AND p.id = sp.pupil_id
                JOIN inclusion.school s ON s.id = sp.school_id
                WHERE sp.status = 'active' AND (p.left_on IS NULL OR p.left_on > $1::date)
                """,
                [asOf]
            )
            var reviews: [DueReview] = []
            for row in rows {
                let kind = try row.decode(PlanKind.self, "kind")
                let due: Day
                if kind == .ehcp {
                    // The statutory clock of InclusionCore's EHCP rules, from the same facts.
                    var facts = PlanFacts(
                        id: try row.decode(Int64.self, "id"),
                        pupil: PupilFacts(id: 0, dateOfBirth: asOf, senStatus: .ehcPlan),
                        kind: .ehcp,
                        starts: try row.decode(Day.self, "starts"),
                        nextReviewDue: try row.decode(Day.self, "next_review_due")
                    )
                    facts.lastReviewed = try row.decode(Day?.self, "last_reviewed")
                    facts.issuedOn = try row.decode(Day?.self, "issued_on")
                    due = facts.lastCompliantDay
                } else {
                    due = try row.decode(Day.self, "next_review_due")
                }
                let overdue = due < asOf
                if overdueOnly && !overdue { continue }
                if let withinDays, due > asOf.adding(days: withinDays) { continue }
                reviews.append(
                    DueReview(
                        plan: try row.decode(Int64.self, "id"),
                        upn: try row.decode(String.self, "upn"),
                        schoolURN: try row.decode(Int.self, "urn"),
                        kind: kind,
                        dueOn: due,
                        overdue: overdue
                    )
                )
            }
            return reviews.sorted { ($0.dueOn, $0.plan) < ($1.dueOn, $1.plan) }
        }
    }
}
