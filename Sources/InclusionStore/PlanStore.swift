import InclusionCore
public import Postgres

/// Support plans (SEN support and EHC plans), their outcomes and the EHCP annual-review milestones. Every
/// statement runs as the caller, under row-level security: SENCOs write their schools' plans, staff read them.
public struct PlanStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    static func planNotFound(_ id: Int64) -> StoreError {
        .notFound("plan", "no plan \(id) is visible to your login; check the plan number")
    }

    /// Creates a plan for a pupil: active unless `fields.draft`; returns its id. The review cycle defaults by kind
    /// and age, and the next review date follows from it (termly reviews use the school's term dates).
    public func create(pupil: PupilRef, fields: PlanFields, today: Day) throws(StoreError) -> Int64 {
        try StoreError.translating {
            try fields.check(today: today)
            let cycle = fields.reviewCycle(dateOfBirth: pupil.dateOfBirth)
            let terms =
                cycle == .termly ? try SchoolStore(connection: connection).termDates(school: pupil.schoolID) : []
            let due = try fields.firstReviewDue(cycle: cycle, terms: terms)
            return try connection.run(
                """
                INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, status, starts, review_cycle, last_reviewed,
                    next_review_due, issuing_la, issued_on)
                VALUES ($1, $2, $3, $4, $5::date, $6, $7::date, $8::date, $9, $10::date)
                RETURNING id
                """,
                [
                    pupil.schoolID, pupil.id, fields.kind, fields.draft ? PlanStatus.draft : .active, fields.starts,
                    cycle.description, fields.lastReviewed, due, fields.issuingLA, fields.issued,
                ]
            )[0].decode(Int64.self, "id")
        }
    }

    /// Puts a draft plan in force, working out its next review date afresh (term dates may have been added since
    /// it was drafted). A pupil has at most one active plan of each kind.
    public func activate(plan id: Int64) throws(StoreError) {
        try connection.storeTransaction { connection in
            let plan = try PlanHeader.locked(id, connection)
            switch plan.status {
            case .active: throw StoreError.invalid("plan", "plan \(id) is already active")
            case .closed: throw StoreError.invalid("plan", "plan \(id) is closed; create a new plan instead")
            case .draft: break
            }
            let due = try nextReviewDue(cycle: plan.cycle, after: plan.reviewBase, school: plan.schoolID)
            try connection.run(
                "UPDATE inclusion.support_plan SET status = 'active', next_review_due = $2::date WHERE id = $1",
                [id, due]
            )
        }
    }

    /// Closes a draft or active plan, dated `today`, with the reason.
    public func close(plan id: Int64, reason: String, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            let plan = try PlanHeader.locked(id, connection)
            guard plan.status != .closed else {
                throw StoreError.invalid("plan", "plan \(id) is already closed")
            }
            try connection.run(
                """
                UPDATE inclusion.support_plan SET status = 'closed', closed_on = $2::date, close_reason = $3
                WHERE id = $1
                """,
                [id, today, reason]
            )
        }
    }

    /// Adds an outcome to a draft or active plan; returns its id.
    public func addOutcome(plan id: Int64, area: AreaOfNeed, text: String, by: Day?) throws(StoreError) -> Int64 {
        try connection.storeTransaction { connection in
            let plan = try PlanHeader.locked(id, connection)
            guard plan.status != .closed else {
                throw StoreError.invalid("plan", "plan \(id) is closed; outcomes go on a draft or active plan")
            }
            if let by, by < plan.starts {
                throw StoreError.invalid("by", "the target date is before the plan starts")
            }
            return try connection.run(
                """
                INSERT INTO inclusion.plan_outcome (school_id, plan_id, area, body, target_on)
                VALUES ($1, $2, $3, $4, $5::date) RETURNING id
                """,
                [plan.schoolID, id, area, text, by]
            )[0].decode(Int64.self, "id")
        }
    }

    /// Records one milestone of an EHC plan's annual review, or of the local authority's amendment of the plan, by
    /// the rules of ``EHCPReviewRound/record(_:on:today:plan:)`` (a later meeting starts the next round).
    public func setMilestone(_ milestone: EHCPMilestone, plan id: Int64, on day: Day, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            let what =
                switch milestone {
                case .meeting, .invitationsSent, .reportSent: "review meetings, invitations and reports are"
                case .amendmentsProposed, .amendedIssued: "the LA's amendments are"
                }
            var round = try Self.lockedEHCP(id, connection, recording: what).round
            try round.record(milestone, on: day, today: today, plan: id)
            try round.save(id, connection)
        }
    }

    /// Records the local authority's decision after an EHC plan's annual review meeting (reg 20(10)) and the day
    /// it was made, by the rules of ``EHCPReviewRound/record(_:on:today:)``.
    public func setDecision(_ decision: LADecision, plan id: Int64, on day: Day, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            var round = try Self.lockedEHCP(id, connection, recording: "the LA's decisions are").round
            try round.record(decision, on: day, today: today)
            try round.save(id, connection)
        }
    }

    /// The plan, locked, when it is an EHC plan not closed; `what` names what is recorded, with its verb.
    static func lockedEHCP(_ id: Int64, _ connection: Connection, recording what: String) throws -> PlanHeader {
        let plan = try PlanHeader.locked(id, connection)
        guard plan.kind == .ehcp else {
            throw StoreError.invalid(
                "plan",
                "plan \(id) is a SEN support plan; \(what) recorded for EHC plans only"
            )
        }
        guard plan.status != .closed else {
            throw StoreError.invalid("plan", "plan \(id) is closed")
        }
        return plan
    }

    /// One plan with its outcomes and reviews.
    public func show(plan id: Int64) throws(StoreError) -> SupportPlan {
        try StoreError.translating {
            let rows = try connection.run(
                """
                SELECT sp.id, p.upn, s.urn, sp.kind, sp.status, sp.starts, sp.review_cycle, sp.last_reviewed,
                       sp.next_review_due, sp.closed_on, sp.close_reason, sp.issuing_la, sp.issued_on,
                       sp.review_meeting_on, sp.invitations_sent_on, sp.report_sent_on,
                       sp.la_decision, sp.la_decision_on, sp.amendments_proposed_on, sp.amended_issued_on,
                       coalesce((SELECT jsonb_agg(jsonb_build_object('id', o.id, 'area', o.area, 'text', o.body,
                           'by', o.target_on) ORDER BY o.id) FROM inclusion.plan_outcome o WHERE o.plan_id = sp.id),
                           '[]')::text AS outcomes,
                       coalesce((SELECT jsonb_agg(\(ReviewStore.reviewJSON) ORDER BY r.held_on, r.id)
                           FROM inclusion.review r WHERE r.plan_id = sp.id), '[]')::text AS reviews
                FROM inclusion.support_plan sp
                JOIN inclusion.pupil p ON p.school_id = sp.school_id AND p.id = sp.pupil_id
                JOIN inclusion.school s ON s.id = sp.school_id
                WHERE sp.id = $1
                """,
                [id]
            )
            guard let row = rows.first else { throw Self.planNotFound(id) }
            return SupportPlan(
                id: try row.decode(Int64.self, "id"),
                upn: try row.decode(String.self, "upn"),
                schoolURN: try row.decode(Int.self, "urn"),
                kind: try row.decode(PlanKind.self, "kind"),
                status: try row.decode(PlanStatus.self, "status"),
                starts: try row.decode(Day.self, "starts"),
                reviewEvery: try ReviewCycle.parse(try row.decode(String.self, "review_cycle"), field: "review_every"),
                lastReviewed: try row.decode(Day?.self, "last_reviewed"),
                nextReviewDue: try row.decode(Day?.self, "next_review_due"),
                closedOn: try row.decode(Day?.self, "closed_on"),
                closeReason: try row.decode(String?.self, "close_reason"),
                issuingLA: try row.decode(String?.self, "issuing_la"),
                issued: try row.decode(Day?.self, "issued_on"),
                reviewMeetingOn: try row.decode(Day?.self, "review_meeting_on"),
                invitationsSentOn: try row.decode(Day?.self, "invitations_sent_on"),
                reportSentOn: try row.decode(Day?.self, "report_sent_on"),
                laDecision: try row.decode(LADecision?.self, "la_decision"),
                laDecisionOn: try row.decode(Day?.self, "la_decision_on"),
                amendmentsProposedOn: try row.decode(Day?.self, "amendments_proposed_on"),
                amendedIssuedOn: try row.decode(Day?.self, "amended_issued_on"),
                outcomes: try JSONRecord.decode([PlanOutcome].self, from: try row.decode(String.self, "outcomes")),
                reviews: try JSONRecord.decode([Review].self, from: try row.decode(String.self, "reviews"))
            )
        }
    }

    /// The next review date after `base` on `cycle`; termly cycles read the school's term dates.
    func nextReviewDue(cycle: ReviewCycle, after base: Day, school: Int) throws -> Day {
        let terms = cycle == .termly ? try SchoolStore(connection: connection).termDates(school: school) : []
        return cycle.nextDue(after: base, terms: terms)
    }
}

/// What the store needs to know about a plan before changing it, read with its row locked.
struct PlanHeader {
    let id: Int64
    let schoolID: Int
    let kind: PlanKind
    let status: PlanStatus
    let starts: Day
    let cycle: ReviewCycle
    let lastReviewed: Day?
    let issued: Day?
    let reviewMeetingOn: Day?
    let invitationsSentOn: Day?
    let reportSentOn: Day?
    let laDecision: LADecision?
    let laDecisionOn: Day?
    let amendmentsProposedOn: Day?
    let amendedIssuedOn: Day?

    var reviewBase: Day { PlanKind.reviewBase(starts: starts, lastReviewed: lastReviewed, issued: issued) }

    /// The current annual review round's dates.
    var round: EHCPReviewRound {
        EHCPReviewRound(
            meeting: reviewMeetingOn,
            invitations: invitationsSentOn,
            report: reportSentOn,
            decision: laDecision,
            decisionOn: laDecisionOn,
            amendmentsProposed: amendmentsProposedOn,
            amendedIssued: amendedIssuedOn
        )
    }

    /// Reads the plan and locks its row until the transaction ends, so two changes cannot interleave.
    static func locked(_ id: Int64, _ connection: Connection) throws -> PlanHeader {
        let rows = try connection.run(
            """
            SELECT id, school_id, kind, status, starts, review_cycle, last_reviewed, issued_on, review_meeting_on,
                   invitations_sent_on, report_sent_on, la_decision, la_decision_on, amendments_proposed_on,
                   amended_issued_on
            FROM inclusion.support_plan WHERE id = $1 FOR UPDATE
            """,
            [id]
        )
        guard let row = rows.first else { throw PlanStore.planNotFound(id) }
        return PlanHeader(
            id: try row.decode(Int64.self, "id"),
            schoolID: try row.decode(Int.self, "school_id"),
            kind: try row.decode(PlanKind.self, "kind"),
            status: try row.decode(PlanStatus.self, "status"),
            starts: try row.decode(Day.self, "starts"),
            cycle: try ReviewCycle.parse(try row.decode(String.self, "review_cycle"), field: "review_every"),
            lastReviewed: try row.decode(Day?.self, "last_reviewed"),
            issued: try row.decode(Day?.self, "issued_on"),
            reviewMeetingOn: try row.decode(Day?.self, "review_meeting_on"),
            invitationsSentOn: try row.decode(Day?.self, "invitations_sent_on"),
            reportSentOn: try row.decode(Day?.self, "report_sent_on"),
            laDecision: try row.decode(LADecision?.self, "la_decision"),
            laDecisionOn: try row.decode(Day?.self, "la_decision_on"),
            amendmentsProposedOn: try row.decode(Day?.self, "amendments_proposed_on"),
            amendedIssuedOn: try row.decode(Day?.self, "amended_issued_on")
        )
    }
}

extension EHCPReviewRound {
    /// Writes the round's dates back to the plan's row, in one statement.
    func save(_ id: Int64, _ connection: Connection) throws {
        try connection.run(
            """
            UPDATE inclusion.support_plan
            SET review_meeting_on = $2::date, invitations_sent_on = $3::date, report_sent_on = $4::date,
                la_decision = $5, la_decision_on = $6::date, amendments_proposed_on = $7::date,
                amended_issued_on = $8::date
            WHERE id = $1
            """,
            [id, meeting, invitations, report, decision, decisionOn, amendmentsProposed, amendedIssued]
        )
    }
}
