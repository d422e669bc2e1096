import InclusionCore
public import Postgres

/// Support plans (SEN support and EHC plans), their outcomes and the EHCP annual-review milestones. Every
/// statement runs as the caller, under row-level security: SENCOs write their schools' plans, staff read them.
public struct PlanStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The cycle a plan gets when `--review-every` is not given (DESIGN §4): SEN support is reviewed termly; an
    /// EHC plan every 12 months (Children and Families Act s44), or every 6 months for a child under 5 on the day
    /// the cycle counts from.
    public static func defaultReviewCycle(kind: PlanKind, dateOfBirth: Day, on base: Day) -> ReviewCycle {
        switch kind {
        case .senSupport: .termly
        case .ehcp: dateOfBirth.adding(months: 5 * 12) > base ? .months(6) : .months(12)
        }
    }

    /// The day a plan's review cycle counts from: its last review, else (for an EHC plan) the day it was issued,
    /// else the day it started.
    public static func reviewBase(starts: Day, lastReviewed: Day?, issued: Day?) -> Day {
        lastReviewed ?? issued ?? starts
    }

    static func planNotFound(_ id: Int64) -> StoreError {
        .notFound("plan", "no plan \(id) is visible to your login; check the plan number")
    }

    /// Creates a plan for a pupil: active unless `fields.draft`; returns its id. The review cycle defaults by kind
    /// and age, and the next review date follows from it (termly reviews use the school's term dates).
    public func create(pupil: PupilRef, fields: PlanFields, today: Day) throws(StoreError) -> Int64 {
        try StoreError.translating {
            if fields.kind != .ehcp {
                if fields.issued != nil {
                    throw StoreError.invalid("issued", "only an EHC plan has an issue date; leave out --issued")
                }
                if fields.issuingLA != nil {
                    throw StoreError.invalid("issuing-la", "only an EHC plan has an issuing LA; leave out --issuing-la")
                }
            }
            if let issued = fields.issued, issued > today {
                throw StoreError.invalid(
                    "issued",
                    "the issue date is in the future; give the day the LA issued the plan"
                )
            }
            if let lastReviewed = fields.lastReviewed {
                guard lastReviewed <= today else {
                    throw StoreError.invalid(
                        "last-reviewed",
                        "the last review is in the future; give the day it was held"
                    )
                }
                guard lastReviewed >= fields.starts else {
                    throw StoreError.invalid("last-reviewed", "the last review is before the plan starts (--starts)")
                }
                if let issued = fields.issued, lastReviewed < issued {
                    throw StoreError.invalid(
                        "last-reviewed",
                        "the last review is before the plan was issued (--issued)"
                    )
                }
            }
            let base = Self.reviewBase(starts: fields.starts, lastReviewed: fields.lastReviewed, issued: fields.issued)
            let cycle =
                fields.reviewEvery
                ?? Self.defaultReviewCycle(kind: fields.kind, dateOfBirth: pupil.dateOfBirth, on: base)
            let due = try nextReviewDue(cycle: cycle, after: base, school: pupil.schoolID)
            guard due > fields.starts else {
                throw StoreError.invalid(
                    "issued",
                    "the next review (\(cycle) after the issue date) would fall before the plan starts; give "
                        + "--last-reviewed for a plan already reviewed, or start the plan on its issue date"
                )
            }
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

    /// Records one milestone of an EHC plan's annual review, or of the local authority's amendment of the plan.
    ///
    /// A meeting date later than the day the last report was sent starts the next round of the review: the
    /// previous round's invitation and report dates, the local authority's decision and the amendment dates are
    /// cleared, so the next round's deadlines are watched afresh. Everything but the meeting happened: its day is
    /// not in the future. The amended plan is issued on or after the proposal, when one is recorded.
    public func setMilestone(_ milestone: EHCPMilestone, plan id: Int64, on day: Day, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            let what =
                switch milestone {
                case .meeting, .invitationsSent, .reportSent: "review meetings, invitations and reports are"
                case .amendmentsProposed, .amendedIssued: "the LA's amendments are"
                }
            var round = ReviewRound(try Self.lockedEHCP(id, connection, recording: what))
            if milestone != .meeting && day > today {
                throw StoreError.invalid("on", "the date is in the future; record \(milestone) once it has happened")
            }
            switch milestone {
            case .meeting:
                if let sent = round.report, day > sent { round.startNext() }
                round.meeting = day
            case .invitationsSent:
                if let meeting = round.meeting, day > meeting {
                    throw StoreError.invalid("on", "invitations go out before the review meeting (\(meeting))")
                }
                round.invitations = day
            case .reportSent:
                guard let meeting = round.meeting else {
                    throw StoreError.invalid(
                        "plan",
                        "record the review meeting first: inclusionctl review meeting --plan \(id) --on DATE"
                    )
                }
                guard day >= meeting else {
                    throw StoreError.invalid("on", "the report cannot go before the review meeting (\(meeting))")
                }
                round.report = day
            case .amendmentsProposed:
                round.amendmentsProposed = day
                // A later proposal starts another amendment: the plan issued after the earlier one is not its answer.
                if let issued = round.amendedIssued, issued < day { round.amendedIssued = nil }
            case .amendedIssued:
                if let proposed = round.amendmentsProposed, day < proposed {
                    throw StoreError.invalid(
                        "on",
                        "the amended plan cannot be issued before the amendments were proposed (\(proposed))"
                    )
                }
                round.amendedIssued = day
            }
            try round.save(id, connection)
        }
    }

    /// Records the local authority's decision after an EHC plan's annual review meeting (reg 20(10)) and the day
    /// it was made: not in the future, and not before the current review's meeting when one is recorded.
    public func setDecision(_ decision: LADecision, plan id: Int64, on day: Day, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            var round = ReviewRound(try Self.lockedEHCP(id, connection, recording: "the LA's decisions are"))
            guard day <= today else {
                throw StoreError.invalid("on", "the date is in the future; record the LA's decision once it is made")
            }
            if let meeting = round.meeting, day < meeting {
                throw StoreError.invalid(
                    "on",
                    "the LA decides after the review meeting (\(meeting)); give a day on or after it"
                )
            }
            round.decision = (decision, day)
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

    var reviewBase: Day { PlanStore.reviewBase(starts: starts, lastReviewed: lastReviewed, issued: issued) }

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

/// The dates of an EHC plan's current annual review round, as read, changed, and written back in one statement.
struct ReviewRound {
    var meeting: Day?
    var invitations: Day?
    var report: Day?
    var decision: (LADecision, Day)?
    var amendmentsProposed: Day?
    var amendedIssued: Day?

    init(_ plan: PlanHeader) {
        meeting = plan.reviewMeetingOn
        invitations = plan.invitationsSentOn
        report = plan.reportSentOn
        if let decision = plan.laDecision, let on = plan.laDecisionOn { self.decision = (decision, on) }
        amendmentsProposed = plan.amendmentsProposedOn
        amendedIssued = plan.amendedIssuedOn
    }

    /// Clears the previous round's dates after its report, so the next round is watched afresh.
    mutating func startNext() {
        invitations = nil
        report = nil
        decision = nil
        amendmentsProposed = nil
        amendedIssued = nil
    }

    func save(_ id: Int64, _ connection: Connection) throws {
        try connection.run(
            """
            UPDATE inclusion.support_plan
            SET review_meeting_on = $2::date, invitations_sent_on = $3::date, report_sent_on = $4::date,
                la_decision = $5, la_decision_on = $6::date, amendments_proposed_on = $7::date,
                amended_issued_on = $8::date
            WHERE id = $1
            """,
            [
                id, meeting, invitations, report, decision?.0, decision?.1, amendmentsProposed, amendedIssued,
            ]
        )
    }
}
