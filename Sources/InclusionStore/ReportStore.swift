public import InclusionCore
public import Postgres

/// One line of `report overdue` or `report due`: a review, an EHCP milestone or an open alert, with the pupil it is
/// about. `kind` is always a rule of DESIGN §4 (`alert rules` explains each).
public struct ReportItem: Sendable, Equatable {
    /// The rule the item falls under: an open alert's rule; `plan-review-overdue`/`-due` or
    /// `ehcp-annual-review-overdue`/`-due` for a review; for an EHCP milestone still ahead, the rule that fires
    /// when it is missed.
    public let kind: AlertRuleName
    public let schoolURN: Int
    /// The pupil's UPN; for an intervention, those of its pupils still on roll, by UPN, joined with "; ".
    public let upn: String
    /// Given and family name, joined in the same order as `upn`.
    public let pupilName: String
    /// What it is about: `plan`, `intervention`, `case` or `pupil`, and its id.
    public let subjectType: String
    public let subjectID: Int64
    /// The review's due day, the milestone's last day, or the open alert's due day (DESIGN §4: a deadline, or the
    /// day the lapse began).
    public let dueOn: Day
    /// The open alert about this very item, when the review sweep has raised one.
    public let alertID: Int64?
    /// The alert's severity (escalations included) or, with no alert, the severity `kind` starts at.
    public let severity: AlertSeverity

    public init(
        kind: AlertRuleName,
        schoolURN: Int,
        upn: String,
        pupilName: String,
        subjectType: String,
        subjectID: Int64,
        dueOn: Day,
        alertID: Int64?,
        severity: AlertSeverity
    ) {
        self.kind = kind
        self.schoolURN = schoolURN
        self.upn = upn
        self.pupilName = pupilName
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.dueOn = dueOn
        self.alertID = alertID
        self.severity = severity
    }
}

/// The SENCOs' lists: what is overdue or lapsed, and what falls due soon, over the schools the caller's own login
/// may see (row-level security does the scoping). Reviews come from ``ReviewSchedule``, the other lapses from the
/// open alerts the review sweep raised, and the EHCP milestones still ahead from InclusionCore's rules. A few
/// set-based statements in one snapshot, never a statement per pupil.
///
/// A review that is overdue and has its overdue alert is listed once: `plan-review-overdue` and
/// `ehcp-annual-review-overdue` (and their `-due` twins) are never listed from alerts; their alert is attached to
/// the review instead, matched on the alert's dedup key (rule, plan, due day).
public struct ReportStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Rules whose open alerts `report overdue` lists as they are: every lapse of DESIGN §4 that
    /// ``ReviewSchedule`` does not cover.
    public static let lapseRules: [AlertRuleName] = [
        .ehcpReviewMeetingUnarranged, .ehcpReviewInvitationsLate, .ehcpReviewReportLate, .ehcpReviewDecisionLate,
        .ehcpAmendmentLate, .interventionEndedUnreviewed, .interventionDeliveryLapsed, .interventionLowDelivery,
        .senWithoutPlan, .planWithoutProvision, .caseStale,
    ]

    /// Rules whose open alert names a deadline that may still lie ahead: listed by `report overdue` once the day
    /// has passed, by `report due` while it is within the window.
    public static let deadlineRules: [AlertRuleName] = [.phaseTransferDeadline]

    /// Everything overdue or lapsed as of `asOf`, most overdue first (earliest due day). `school` is a school id.
    public func overdue(asOf: Day, school: Int?) throws(StoreError) -> [ReportItem] {
        try StoreError.translating {
            try snapshot { connection in
                let reviews = try ReviewSchedule(connection: connection).due(
                    asOf: asOf,
                    withinDays: nil,
                    overdueOnly: true
                )
                var items = try Self.reviewItems(reviews, overdue: true, school: school, connection: connection)
                items += try Self.alertItems(
                    anyDay: Self.lapseRules,
                    window: (Self.deadlineRules, from: .distantPast, to: asOf.adding(days: -1)),
                    asOf: asOf,
                    school: school,
                    connection: connection
                )
                return items.sorted(by: Self.byDueDay)
            }
        }
    }

    /// What falls due from `asOf` to `asOf + withinDays` and is not yet overdue, by due day: reviews, the EHCP
    /// review's milestones (invitations, report, the LA's decision, the amended plan) and open phase-transfer
    /// deadlines.
    public func due(asOf: Day, withinDays: Int, school: Int?) throws(StoreError) -> [ReportItem] {
        try StoreError.translating {
            try snapshot { connection in
                let reviews = try ReviewSchedule(connection: connection).due(
                    asOf: asOf,
                    withinDays: withinDays,
                    overdueOnly: false
                ).filter { !$0.overdue }
                var items = try Self.reviewItems(reviews, overdue: false, school: school, connection: connection)
                items += try Self.milestoneItems(
                    asOf: asOf,
                    withinDays: withinDays,
                    school: school,
                    connection: connection
                )
                items += try Self.alertItems(
                    anyDay: [],
                    window: (Self.deadlineRules, from: asOf, to: asOf.adding(days: withinDays)),
                    asOf: asOf,
                    school: school,
                    connection: connection
                )
                return items.sorted(by: Self.byDueDay)
            }
        }
    }

    /// Earliest due day first, then the most severe, then by rule, school and subject: a stable order.
    static func byDueDay(_ lhs: ReportItem, _ rhs: ReportItem) -> Bool {
        if lhs.dueOn != rhs.dueOn { return lhs.dueOn < rhs.dueOn }
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        return (lhs.kind.rawValue, lhs.schoolURN, lhs.upn, lhs.subjectType, lhs.subjectID)
            < (rhs.kind.rawValue, rhs.schoolURN, rhs.upn, rhs.subjectType, rhs.subjectID)
    }

    /// Runs the report's statements in one repeatable-read snapshot, after refusing a readonly login clearly.
    private func snapshot(_ body: (Connection) throws -> [ReportItem]) throws -> [ReportItem] {
        let kind = try connection.run("SELECT inclusion.role_kind(session_user) AS kind").first?
            .decode(String?.self, "kind")
        if kind == "readonly" {
            throw StoreError(
                .permissionDenied,
                "reports list pupils by name, and a readonly (governor) login may read counts only; ask a SENCO "
                    + "or an admin for the report"
            )
        }
        do {
            return try connection.transaction(.repeatableRead, body)
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }

    /// The reviews with their pupils' names and, when open, the alert about the same lapse (one statement).
    private static func reviewItems(
        _ reviews: [DueReview],
        overdue: Bool,
        school: Int?,
        connection: Connection
    ) throws -> [ReportItem] {
        guard !reviews.isEmpty else { return [] }
        func rule(_ kind: PlanKind) -> AlertRuleName {
            switch (kind, overdue) {
            case (.ehcp, true): .ehcpAnnualReviewOverdue
            case (.ehcp, false): .ehcpAnnualReviewDue
            case (_, true): .planReviewOverdue
            case (_, false): .planReviewDue
            }
        }
        let rows = try connection.run(
            """
            SELECT r.plan, r.rule, r.due_on, s.urn, p.upn, p.given_name, p.family_name,
                   a.id AS alert_id, a.severity
            FROM unnest($1::bigint[], $2::text[], $3::date[]) AS r(plan, rule, due_on)
            JOIN inclusion.support_plan sp ON sp.id = r.plan
            JOIN inclusion.school s ON s.id = sp.school_id
            JOIN inclusion.pupil p ON p.school_id = sp.school_id AND p.id = sp.pupil_id
            LEFT JOIN inclusion.alert a ON a.school_id = sp.school_id AND a.rule = r.rule AND a.subject_type = 'plan'
                AND a.subject_id = r.plan AND a.due_on = r.due_on AND a.state <> 'resolved'
            WHERE ($4::integer IS NULL OR sp.school_id = $4)
            """,
            [
                PostgresArray(reviews.map { String($0.plan) }),
                PostgresArray(reviews.map { rule($0.kind) }),
                PostgresArray(reviews.map(\.dueOn)),
                school,
            ]
        )
        return try rows.map { row in
            let kind = try Self.rule(row, "rule")
            return ReportItem(
                kind: kind,
                schoolURN: try row.decode(Int.self, "urn"),
                upn: try row.decode(String.self, "upn"),
                pupilName: try row.decode(String.self, "given_name") + " "
                    + (try row.decode(String.self, "family_name")),
                subjectType: "plan",
                subjectID: try row.decode(Int64.self, "plan"),
                dueOn: try row.decode(Day.self, "due_on"),
                alertID: try row.decode(Int64?.self, "alert_id"),
                severity: Self.severity(row, default: kind)
            )
        }
    }

    /// Open (not resolved) alerts of `anyDay`'s rules whatever their due day, and of `window`'s rules when their due
    /// day lies in the window, with the pupil (or an intervention's pupils still on roll) they are about.
    private static func alertItems(
        anyDay: [AlertRuleName],
        window: (rules: [AlertRuleName], from: Day, to: Day),
        asOf: Day,
        school: Int?,
        connection: Connection
    ) throws -> [ReportItem] {
        let rows = try connection.run(
            """
            SELECT a.id, a.rule, a.subject_type, a.subject_id, a.due_on, a.severity, s.urn,
                   coalesce(p.upn, g.upns) AS upn,
                   coalesce(p.given_name || ' ' || p.family_name, g.names) AS pupil_name
            FROM inclusion.alert a
            JOIN inclusion.school s ON s.id = a.school_id
            LEFT JOIN inclusion.pupil p ON p.school_id = a.school_id AND p.id = a.pupil_id
            LEFT JOIN LATERAL (
                SELECT string_agg(gp.upn, '; ' ORDER BY gp.upn) AS upns,
                       string_agg(gp.given_name || ' ' || gp.family_name, '; ' ORDER BY gp.upn) AS names
                FROM inclusion.intervention_pupil ip
                JOIN inclusion.pupil gp ON gp.school_id = ip.school_id AND gp.id = ip.pupil_id
                WHERE a.subject_type = 'intervention' AND ip.school_id = a.school_id
                  AND ip.intervention_id = a.subject_id AND (gp.left_on IS NULL OR gp.left_on > $5::date)
            ) g ON true
            WHERE a.state <> 'resolved'
              AND (a.rule = ANY ($1::text[]) OR (a.rule = ANY ($2::text[]) AND a.due_on BETWEEN $3::date AND $4::date))
              AND ($6::integer IS NULL OR a.school_id = $6)
              AND (p.id IS NOT NULL AND (p.left_on IS NULL OR p.left_on > $5::date) OR g.upns IS NOT NULL)
            """,
            [
                PostgresArray(anyDay), PostgresArray(window.rules), window.from, window.to, asOf, school,
            ]
        )
        return try rows.map { row in
            let kind = try Self.rule(row, "rule")
            return ReportItem(
                kind: kind,
                schoolURN: try row.decode(Int.self, "urn"),
                upn: try row.decode(String.self, "upn"),
                pupilName: try row.decode(String.self, "pupil_name"),
                subjectType: try row.decode(String.self, "subject_type"),
                subjectID: try row.decode(Int64.self, "subject_id"),
                dueOn: try row.decode(Day.self, "due_on"),
                alertID: try row.decode(Int64.self, "id"),
                severity: Self.severity(row, default: kind)
            )
        }
    }

    /// The EHCP annual review's milestones whose last day falls in the window: the pure rules of InclusionCore,
    /// judged on the day after the window, name each deadline that would then have passed unmet (reg 20(3),
    /// 20(7), 20(10), 22(3)); those not yet passed on `asOf` are due. One statement for every active EHC plan. No
    /// alert can be open about a milestone still ahead (its `-late` alert comes only once the day has passed).
    private static func milestoneItems(
        asOf: Day,
        withinDays: Int,
        school: Int?,
        connection: Connection
    ) throws -> [ReportItem] {
        let last = asOf.adding(days: withinDays)
        let judged = last.adding(days: 1)
        let rows = try connection.run(
            """
            SELECT sp.id, s.urn, p.upn, p.given_name, p.family_name, p.date_of_birth, p.left_on, sp.starts,
                   sp.next_review_due, sp.last_reviewed, sp.issued_on, sp.review_meeting_on, sp.invitations_sent_on,
                   sp.report_sent_on, sp.la_decision_on, sp.amendments_proposed_on, sp.amended_issued_on
            FROM inclusion.support_plan sp
            JOIN inclusion.school s ON s.id = sp.school_id
            JOIN inclusion.pupil p ON p.school_id = sp.school_id AND p.id = sp.pupil_id
            WHERE sp.status = 'active' AND sp.kind = 'ehcp' AND (p.left_on IS NULL OR p.left_on > $1::date)
              AND ($2::integer IS NULL OR sp.school_id = $2)
            """,
            [asOf, school]
        )
        var items: [ReportItem] = []
        for row in rows {
            var facts = PlanFacts(
                id: try row.decode(Int64.self, "id"),
                pupil: PupilFacts(
                    id: 0,
                    dateOfBirth: try row.decode(Day.self, "date_of_birth"),
                    senStatus: .ehcPlan,
                    leftOn: try row.decode(Day?.self, "left_on")
                ),
                kind: .ehcp,
                starts: try row.decode(Day.self, "starts"),
                nextReviewDue: try row.decode(Day.self, "next_review_due")
            )
            try facts.readMilestones(from: row)
            let findings = [
                EHCPReviewInvitationsLate.evaluate(facts, asOf: judged),
                EHCPReviewReportLate.evaluate(facts, asOf: judged),
                EHCPReviewDecisionLate.evaluate(facts, asOf: judged),
                EHCPAmendmentLate.evaluate(facts, asOf: judged),
            ]
            for finding in findings.compactMap({ $0 }) where finding.dueOn >= asOf && finding.dueOn <= last {
                items.append(
                    ReportItem(
                        kind: finding.rule,
                        schoolURN: try row.decode(Int.self, "urn"),
                        upn: try row.decode(String.self, "upn"),
                        pupilName: try row.decode(String.self, "given_name") + " "
                            + (try row.decode(String.self, "family_name")),
                        subjectType: "plan",
                        subjectID: facts.id,
                        dueOn: finding.dueOn,
                        alertID: nil,
                        severity: finding.rule.severity
                    )
                )
            }
        }
        return items
    }

    private static func rule(_ row: Row, _ column: String) throws -> AlertRuleName {
        do {
            return try row.decode(AlertRuleName.self, column)
        } catch {
            let text = try row.decode(String.self, column)
            throw StoreError(.other, field: column, "the database holds a rule this build does not know: \(text)")
        }
    }

    /// The alert's severity; the rule's own when no alert is open or it holds a severity this build does not know.
    private static func severity(_ row: Row, default rule: AlertRuleName) -> AlertSeverity {
        (try? row.decode(AlertSeverity.self, "severity")) ?? rule.severity
    }
}
