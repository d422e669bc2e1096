import InclusionCore
public import Postgres

/// Reviews of plans and interventions. Recording a plan's review moves the plan on to its next review in the
/// same transaction, so the review rules never see a review without its new due date.
public struct ReviewStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// A review row `r` as JSON in ``Review``'s shape, for queries that nest reviews.
    static let reviewJSON: SQL = """
        jsonb_build_object('id', r.id, 'plan', r.plan_id, 'intervention', r.intervention_id, 'held_on', r.held_on,
            'parent_attended', r.parent_attended, 'pupil_views', r.pupil_views, 'parent_views', r.parent_views,
            'outcome', r.outcome, 'notes', r.notes, 'recorded_by', r.recorded_by)
        """

    /// Records a review; returns its id. For a plan that is not closed, the plan's last review becomes the later
    /// of this review and any recorded one, and its next review date follows from its cycle (termly cycles read
    /// the school's term dates).
    public func record(_ subject: ReviewSubject, fields: ReviewFields, today: Day) throws(StoreError) -> Int64 {
        try StoreError.translating { try fields.check(today: today) }
        return try connection.storeTransaction { connection in
            let school: Int
            switch subject {
            case .plan(let id):
                let plan = try PlanHeader.locked(id, connection)
                try fields.check(startsOn: plan.starts, of: "plan")
                school = plan.schoolID
                if plan.status != .closed {
                    let last = max(fields.heldOn, plan.lastReviewed ?? fields.heldOn)
                    let due = try PlanStore(connection: connection).nextReviewDue(
                        cycle: plan.cycle,
                        after: last,
                        school: plan.schoolID
                    )
                    try connection.run(
                        "UPDATE inclusion.support_plan SET last_reviewed = $2::date, next_review_due = $3::date WHERE id = $1",
                        [id, last, due]
                    )
                }
            case .intervention(let id):
                let rows = try connection.run(
                    "SELECT school_id, starts FROM inclusion.intervention WHERE id = $1",
                    [id]
                )
                guard let row = rows.first else { throw InterventionStore.interventionNotFound(id) }
                let starts = try row.decode(Day.self, "starts")
                try fields.check(startsOn: starts, of: "intervention")
                school = try row.decode(Int.self, "school_id")
            }
            let (plan, intervention): (Int64?, Int64?) =
                switch subject {
                case .plan(let id): (id, nil)
                case .intervention(let id): (nil, id)
                }
            return try connection.run(
                """
                INSERT INTO inclusion.review (school_id, plan_id, intervention_id, held_on, parent_attended,
                    pupil_views, parent_views, outcome, notes)
                VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9) RETURNING id
                """,
                [
                    school, plan, intervention, fields.heldOn, fields.parentAttended, fields.pupilViews,
                    fields.parentViews, fields.outcome, fields.notes,
                ]
            )[0].decode(Int64.self, "id")
        }
    }
}
