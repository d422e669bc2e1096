public import InclusionCore
public import Postgres

/// The review sweep: for every school, in a transaction of its own (one school's bad data cannot hold back
/// another's alerts), read the facts the rules need in a handful of set-based queries, evaluate InclusionCore's pure
/// rules, and carry out the reconciliation with the alerts already open: raise, escalate, resolve, wake snoozed
/// alerts, and escalate alerts left open too long. No per-pupil round trips: a school costs the same few statements
/// whatever its size, and the statements read active records and recent sessions only, never years of history.
/// Each statement is prepared once per session (``Connection/query(prepared:_:)``) and only bound and run for every
/// school after the first.
///
/// Run by the service login (the daemon's `review-sweep` job); `asOf` is the day the rules judge.
public struct AlertSweep {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What one sweep did.
    public struct Summary: Sendable, Equatable {
        public var schools = 0
        /// Schools left alone: nothing they hold changed since their last sweep as of the same day with the same
        /// rules (migration 0013's change markers), so the sweep would decide nothing new.
        public var skipped = 0
        public var raised = 0
        public var escalated = 0
        public var resolved = 0
        public var woken = 0
        /// Alerts not resolved after the sweep.
        public var open = 0
        /// Schools whose sweep failed (their transaction rolled back; the others went on).
        public var failedSchools: [Int] = []
        /// Why each failed school failed (words without pupil data), in the order of `failedSchools`.
        public var failures: [String] = []
        /// Every alert raised, escalated, resolved or woken, in the order the schools were swept: ids only, for one
        /// journal line each.
        public var events: [AlertEvent] = []
        /// How long each school's sweep took (its transaction included), by school id, in the order swept.
        public var schoolDurations: [(school: Int, duration: Duration)] = []

        public init() {}

        /// Counts a school that committed; its events are kept only when `keepEvents` (no per-school handler).
        public mutating func add(_ result: SchoolResult, school: Int, took duration: Duration, keepEvents: Bool) {
            schools += 1
            raised += result.raised
            escalated += result.escalated
            resolved += result.resolved
            woken += result.woken
            if keepEvents { events += result.events }
            schoolDurations.append((school, duration))
        }

        /// Counts a school whose sweep failed, so the others go on; rethrows when the database itself is out of
        /// reach (the run fails and is retried: the sweep is idempotent), as no other school would fare better.
        public mutating func addFailure(_ error: any Error, school: Int, took duration: Duration) throws {
            schoolDurations.append((school, duration))
            switch error {
            case let error as StoreError where error.kind == .unavailable: throw error
            case is CancellationError, is ConfinedConnection.ReconnectPending: throw error
            default: break
            }
            failedSchools.append(school)
            failures.append("\(error)")
        }

        public static func == (lhs: Summary, rhs: Summary) -> Bool {
            lhs.schools == rhs.schools && lhs.skipped == rhs.skipped && lhs.raised == rhs.raised
                && lhs.escalated == rhs.escalated
                && lhs.resolved == rhs.resolved && lhs.woken == rhs.woken && lhs.open == rhs.open
                && lhs.failedSchools == rhs.failedSchools && lhs.failures == rhs.failures && lhs.events == rhs.events
        }
    }

    /// Sweeps every school as of `asOf`, on this one connection. The daemon's job makes the same calls
    /// (``schools(asOf:settings:escalateAfterDays:)``, ``sweep(school:asOf:settings:escalateAfterDays:)``,
    /// ``openCount()``) one connection call at a time, so a client deadline covers one school, never the whole run.
    ///
    /// - Parameter escalateAfterDays: `alerts.escalate-after` in days: an alert left open (not acknowledged or
    ///   snoozed) that long since it was raised or last escalated goes one step up, capped at critical.
    ///   - eachSchool: called after each school's transaction commits with the alert events it made; when given,
    ///     ``Summary/events`` stays empty.
    ///   - force: sweep every school, even those whose records have not changed since their last sweep as of the
    ///     same day with the same rules.
    public func run(
        asOf: Day,
        settings: RuleSettings = RuleSettings(),
        escalateAfterDays: Int = 7,
        force: Bool = false,
        eachSchool: ((_ school: Int, _ events: [AlertEvent]) -> Void)? = nil
    ) throws(StoreError) -> Summary {
        try StoreError.translating {
            var summary = Summary()
            for school in try schools(asOf: asOf, settings: settings, escalateAfterDays: escalateAfterDays) {
                if school.unchanged && !force {
                    summary.skipped += 1
                    continue
                }
                let started = ContinuousClock.now
                do {
                    let result = try sweep(
                        school: school.id,
                        asOf: asOf,
                        settings: settings,
                        escalateAfterDays: escalateAfterDays
                    )
                    summary.add(
                        result,
                        school: school.id,
                        took: ContinuousClock.now - started,
                        keepEvents: eachSchool == nil
                    )
                    eachSchool?(school.id, result.events)
                } catch {
                    try summary.addFailure(error, school: school.id, took: ContinuousClock.now - started)
                }
            }
            summary.open = try openCount()
            return summary
        }
    }

    /// A school to sweep, and whether nothing it holds has changed since its last sweep as of the same day with the
    /// same rules (migration 0013's change markers): such a school may be skipped, as the sweep would decide nothing
    /// new.
    public struct School: Sendable, Equatable {
        public let id: Int
        public let unchanged: Bool
    }

    /// Every school, in id order, with its change marker judged against `asOf` and the rules.
    public func schools(asOf: Day, settings: RuleSettings, escalateAfterDays: Int) throws(StoreError) -> [School] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT s.id,
                       coalesce(w.as_of = $1::date AND w.version = coalesce(c.version, 0) AND w.settings = $2, false)
                           AS unchanged
                FROM inclusion.school s
                LEFT JOIN inclusion.school_change c ON c.school_id = s.id
                LEFT JOIN inclusion.school_sweep w ON w.school_id = s.id
                ORDER BY s.id
                """,
                [asOf, Self.judgedBy(settings: settings, escalateAfterDays: escalateAfterDays)]
            ).map { School(id: try $0.decode(Int.self, "id"), unchanged: try $0.decode(Bool.self, "unchanged")) }
        }
    }

    /// What one school's sweep did.
    public struct SchoolResult: Sendable, Equatable {
        public var raised = 0
        public var escalated = 0
        public var resolved = 0
        public var woken = 0
        /// The alert events, ids only, in the order made.
        public var events: [AlertEvent] = []
    }

    /// Sweeps one school in a transaction of its own and records the change marker it judged, so an unchanged school
    /// is skipped next time. Throws when the school's transaction rolled back (its alerts stand as they were).
    public func sweep(
        school: Int,
        asOf: Day,
        settings: RuleSettings,
        escalateAfterDays: Int
    ) throws(StoreError) -> SchoolResult {
        let judgedBy = Self.judgedBy(settings: settings, escalateAfterDays: escalateAfterDays)
        return try connection.storeTransaction { connection in
            let version = try connection.run(
                prepared:
                    """
                    SELECT coalesce((SELECT version FROM inclusion.school_change WHERE school_id = $1), 0)
                        AS version
                    """,
                [school]
            )[0].decode(Int64.self, "version")
            let result = try SchoolSweep(connection: connection, school: school, asOf: asOf, settings: settings)
                .run(escalateAfterDays: escalateAfterDays)
            try connection.run(
                prepared:
                    """
                    INSERT INTO inclusion.school_sweep (school_id, as_of, version, settings)
                    VALUES ($1, $2::date, $3, $4)
                    ON CONFLICT (school_id) DO UPDATE SET as_of = excluded.as_of, version = excluded.version,
                        settings = excluded.settings, swept_at = now()
                    """,
                [school, asOf, version, judgedBy]
            )
            return result
        }
    }

    /// Alerts not resolved, in every school.
    public func openCount() throws(StoreError) -> Int {
        try StoreError.translating {
            try connection.run(
                prepared:
                    "SELECT count(*)::integer AS open FROM inclusion.alert WHERE state <> 'resolved'"
            )[0].decode(Int.self, "open")
        }
    }

    /// What a school's sweep judged by, recorded with it: the sweep's own version (bump it when the rules' code
    /// changes what they decide), the rules' settings and the escalation period.
    static func judgedBy(settings: RuleSettings, escalateAfterDays: Int) -> String {
        "sweep-1 \(settings) escalate-after=\(escalateAfterDays)d"
    }
}

/// One change a sweep made to an alert: ids, the rule and the severity, never pupil data.
public struct AlertEvent: Sendable, Equatable {
    public let alertID: Int64
    public let rule: String
    /// raised, escalated, resolved or woke.
    public let action: String
    public let severity: String
    /// The school's id.
    public let school: Int
}

/// One school's sweep, inside its transaction.
struct SchoolSweep {
    let connection: Connection
    let school: Int
    let asOf: Day
    let settings: RuleSettings

    func run(escalateAfterDays: Int) throws -> AlertSweep.SchoolResult {
        var result = AlertSweep.SchoolResult()
        let calendar = try loadCalendar()
        var findings: [Finding] = []
        var pupilOf: [AlertSubject: Int64] = [:]

        for plan in try loadPlans() {
            pupilOf[.plan(plan.facts.id)] = plan.facts.pupil.id
            let facts = plan.facts
            findings += [
                PlanReviewDue.evaluate(facts, calendar: calendar, settings: settings, asOf: asOf),
                EHCPAnnualReview.evaluate(facts, settings: settings, asOf: asOf),
                EHCPEarlyYearsReview.evaluate(facts, settings: settings, asOf: asOf),
                EHCPReviewMeetingUnarranged.evaluate(facts, settings: settings, asOf: asOf),
                EHCPReviewInvitationsLate.evaluate(facts, asOf: asOf),
                EHCPReviewReportLate.evaluate(facts, asOf: asOf),
                EHCPReviewDecisionLate.evaluate(facts, asOf: asOf),
                EHCPAmendmentLate.evaluate(facts, asOf: asOf),
                PlanWithoutProvision.evaluate(facts, inActiveIntervention: plan.provided, asOf: asOf),
                PhaseTransferDeadline.evaluate(
                    facts,
                    transfer: plan.transfer,
                    autumnStart: calendar.terms.first {
                        AcademicYear(containing: $0.first) == AcademicYear(containing: asOf)
                    }?
                    .first,
                    asOf: asOf
                ),
            ].compactMap { $0 }
        }
        for (pupil, hasActivePlan) in try loadSENPupils() {
            pupilOf[.pupil(pupil.id)] = pupil.id
            if let finding = SENWithoutPlan.evaluate(
                pupil,
                hasActivePlan: hasActivePlan,
                settings: settings,
                asOf: asOf
            ) {
                findings.append(finding)
            }
        }
        for intervention in try loadInterventions() {
            findings += [
                InterventionEndedUnreviewed.evaluate(intervention, asOf: asOf),
                InterventionDeliveryLapsed.evaluate(intervention, calendar: calendar, settings: settings, asOf: asOf),
                InterventionLowDelivery.evaluate(intervention, calendar: calendar, settings: settings, asOf: asOf),
            ].compactMap { $0 }
        }
        for pupilCase in try loadCases() {
            pupilOf[.pupilCase(pupilCase.id)] = pupilCase.pupil.id
            if let finding = CaseStale.evaluate(pupilCase, settings: settings, asOf: asOf) { findings.append(finding) }
        }
        if let finding = TermDatesMissing.evaluate(school: school, calendar: calendar, asOf: asOf) {
            findings.append(finding)
        }

        // The reads above touch no alert; from here on every statement is about alerts.
        try planAlertStatementsAfresh()
        let woken = try wakeSnoozed()
        result.woken = woken.count
        result.events += woken
        let actions = AlertReconciliation.decide(findings: findings, open: try loadOpenAlerts())
        let raised = try raise(actions.compactMap { if case .raise(let f) = $0 { f } else { nil } }, pupilOf)
        let escalated = try escalate(
            actions.compactMap { if case .escalate(let id, let to) = $0 { (id, to) } else { nil } }
        )
        let resolved = try resolve(
            actions.compactMap { if case .resolve(let id, let because) = $0 { (id, because) } else { nil } }
        )
        let longOpen = try escalateLongOpen(afterDays: escalateAfterDays)
        result.raised = raised.count
        result.escalated = escalated.count + longOpen.count
        result.resolved = resolved.count
        result.events += raised + escalated + resolved + longOpen
        return result
    }

    /// Plans every later statement of this transaction with the tables as they are now (the reads before it keep
    /// the session's own setting, and so their generic plans). A sweep that raises tens of thousands of alerts grows
    /// the alert table under its own feet, and a generic plan cached while it was empty (a prepared statement's own,
    /// or the foreign-key check of each alert_transition row) goes on scanning it whole: at 250,000 pupils, 24,187
    /// sequential scans of alert reading 292 million rows in one first sweep (pg_stat_user_tables), 30-43 s instead
    /// of 23 s.
    private func planAlertStatementsAfresh() throws {
        try connection.run("SET LOCAL plan_cache_mode = force_custom_plan")
    }

    // MARK: Facts

    private func loadCalendar() throws -> SchoolCalendar {
        let terms = try connection.run(
            prepared:
                "SELECT name, first_day, last_day FROM inclusion.term WHERE school_id = $1",
            [school]
        ).map { row in
            TermDates(
                name: try row.decode(String.self, "name"),
                first: try row.decode(Day.self, "first_day"),
                last: try row.decode(Day.self, "last_day")
            )
        }
        let closures = try connection.run(
            prepared:
                "SELECT first_day, last_day FROM inclusion.closure WHERE school_id = $1",
            [school]
        ).map { row in
            try row.decode(Day.self, "first_day")...(try row.decode(Day.self, "last_day"))
        }
        return SchoolCalendar(terms: terms, closures: closures)
    }

    private func pupilFacts(_ row: Row, id: Int64) throws -> PupilFacts {
        PupilFacts(
            id: id,
            dateOfBirth: try row.decode(Day.self, "date_of_birth"),
            senStatus: try row.decode(SENStatus.self, "sen_status"),
            senStatusSince: try row.decode(Day?.self, "sen_status_since"),
            leftOn: try row.decode(Day?.self, "left_on")
        )
    }

    struct PlanRow {
        let facts: PlanFacts
        let provided: Bool
        let transfer: PhaseTransferDeadline.Deadline?
    }

    private func loadPlans() throws -> [PlanRow] {
        let transfers = try loadTransfers()
        let year = AcademicYear(containing: asOf)
        return try connection.run(
            prepared:
                """
                SELECT sp.id, sp.pupil_id, sp.kind, sp.starts, sp.next_review_due, sp.last_reviewed, sp.issued_on,
                       sp.review_meeting_on, sp.invitations_sent_on, sp.report_sent_on, sp.la_decision_on,
                       sp.amendments_proposed_on, sp.amended_issued_on,
                       p.date_of_birth, p.sen_status::text AS sen_status, p.sen_status_since, p.left_on, p.year_group,
                       p.academic_year,
                       EXISTS (SELECT 1 FROM inclusion.intervention_pupil ip
                               JOIN inclusion.intervention i ON i.school_id = ip.school_id AND i.id = ip.intervention_id
                               WHERE ip.school_id = sp.school_id AND ip.pupil_id = sp.pupil_id
                                 AND i.starts <= $2::date AND coalesce(i.ended_on, i.ends) >= $2::date) AS provided
                FROM inclusion.support_plan sp
                JOIN inclusion.pupil p ON p.school_id = sp.school_id AND p.id = sp.pupil_id
                WHERE sp.school_id = $1 AND sp.status = 'active' AND (p.left_on IS NULL OR p.left_on > $2::date)
                """,
            [school, asOf]
        ).map { row in
            let pupil = try pupilFacts(row, id: try row.decode(Int64.self, "pupil_id"))
            var facts = PlanFacts(
                id: try row.decode(Int64.self, "id"),
                pupil: pupil,
                kind: try row.decode(PlanKind.self, "kind"),
                starts: try row.decode(Day.self, "starts"),
                nextReviewDue: try row.decode(Day.self, "next_review_due")
            )
            try facts.readMilestones(from: row)
            // The year group recorded for its academic year, rolled forward to the as-of day's.
            let recorded = try row.decode(YearGroup.self, "year_group")
            let recordedYear = try row.decode(Int.self, "academic_year")
            let current = YearGroup(ordinal: recorded.ordinal + year.startYear - recordedYear)
            return PlanRow(
                facts: facts,
                provided: try row.decode(Bool.self, "provided"),
                transfer: current.flatMap { transfers[$0] }
            )
        }
    }

    private func loadTransfers() throws -> [YearGroup: PhaseTransferDeadline.Deadline] {
        var transfers: [YearGroup: PhaseTransferDeadline.Deadline] = [:]
        for row in try connection.run(
            prepared:
                "SELECT year_group, deadline FROM inclusion.school_transfer WHERE school_id = $1",
            [school]
        ) {
            transfers[try row.decode(YearGroup.self, "year_group")] = try row.decode(
                PhaseTransferDeadline.Deadline.self,
                "deadline"
            )
        }
        return transfers
    }

    private func loadSENPupils() throws -> [(PupilFacts, Bool)] {
        try connection.run(
            prepared:
                """
                SELECT p.id, p.date_of_birth, p.sen_status::text AS sen_status, p.sen_status_since, p.left_on,
                       EXISTS (SELECT 1 FROM inclusion.support_plan sp WHERE sp.school_id = p.school_id
                               AND sp.pupil_id = p.id AND sp.status = 'active') AS planned
                FROM inclusion.pupil p
                WHERE p.school_id = $1 AND p.sen_status <> 'N' AND (p.left_on IS NULL OR p.left_on > $2::date)
                """,
            [school, asOf]
        ).map { row in
            (try pupilFacts(row, id: try row.decode(Int64.self, "id")), try row.decode(Bool.self, "planned"))
        }
    }

    private func loadInterventions() throws -> [InterventionFacts] {
        // Running interventions, and ended ones with neither a review nor an exit measure. Recent sessions only.
        try connection.run(
            prepared:
                """
                SELECT i.id, i.starts, i.ends, i.ended_on, i.per_week::float8 AS per_week, d.last_delivered_on,
                       EXISTS (SELECT 1 FROM inclusion.review r WHERE r.school_id = i.school_id
                               AND r.intervention_id = i.id) AS reviewed,
                       EXISTS (SELECT 1 FROM inclusion.intervention_pupil ip WHERE ip.school_id = i.school_id
                               AND ip.intervention_id = i.id AND ip.exit_score IS NOT NULL) AS exit_measured,
                       NOT EXISTS (SELECT 1 FROM inclusion.intervention_pupil ip
                                   JOIN inclusion.pupil p ON p.school_id = ip.school_id AND p.id = ip.pupil_id
                                   WHERE ip.school_id = i.school_id AND ip.intervention_id = i.id
                                     AND (p.left_on IS NULL OR p.left_on > $2::date)) AS every_pupil_left,
                       coalesce((SELECT array_agg(s.held_on) FROM inclusion.intervention_session s
                                 WHERE s.school_id = i.school_id AND s.intervention_id = i.id AND s.delivered
                                   AND s.held_on >= $2::date - 60 AND s.held_on < $2::date), '{}') AS recent
                FROM inclusion.intervention i
                LEFT JOIN inclusion.intervention_delivery d ON d.intervention_id = i.id
                WHERE i.school_id = $1 AND i.starts <= $2::date
                """,
            [school, asOf]
        ).compactMap { row in
            var facts = InterventionFacts(
                id: try row.decode(Int64.self, "id"),
                starts: try row.decode(Day.self, "starts"),
                ends: try row.decode(Day.self, "ends"),
                sessionsPerWeek: try row.decode(Double.self, "per_week")
            )
            facts.endedOn = try row.decode(Day?.self, "ended_on")
            facts.lastDelivered = try row.decode(Day?.self, "last_delivered_on")
            facts.reviewed = try row.decode(Bool.self, "reviewed")
            facts.exitMeasured = try row.decode(Bool.self, "exit_measured")
            facts.everyPupilLeft = try row.decode(Bool.self, "every_pupil_left")
            facts.recentDeliveries = try row.decode(PostgresTextArray.self, "recent").elements.map { text in
                try Day.decode(postgresText: text)
            }
            // An intervention that has ended and was reviewed or measured is done with.
            if facts.lastDay < asOf && (facts.reviewed || facts.exitMeasured) { return nil }
            return facts
        }
    }

    private func loadCases() throws -> [CaseStale.Facts] {
        try connection.run(
            prepared:
                """
                SELECT c.id, c.pupil_id, c.opened_on, greatest(c.last_note_on, a.last_note_on) AS last_note_on,
                       p.date_of_birth, p.sen_status::text AS sen_status, p.sen_status_since, p.left_on
                FROM inclusion.pupil_case c
                JOIN inclusion.pupil p ON p.school_id = c.school_id AND p.id = c.pupil_id
                LEFT JOIN inclusion.case_confidential_activity a ON a.case_id = c.id
                WHERE c.school_id = $1 AND c.state <> 'closed' AND (p.left_on IS NULL OR p.left_on > $2::date)
                """,
            [school, asOf]
        ).map { row in
            CaseStale.Facts(
                id: try row.decode(Int64.self, "id"),
                pupil: try pupilFacts(row, id: try row.decode(Int64.self, "pupil_id")),
                openedOn: try row.decode(Day.self, "opened_on"),
                lastNoteOn: try row.decode(Day?.self, "last_note_on")
            )
        }
    }

    private func loadOpenAlerts() throws -> [AlertReconciliation.OpenAlert] {
        try connection.run(
            prepared:
                """
                SELECT a.id, a.rule, a.subject_type, a.subject_id, a.due_on, a.severity,
                       coalesce(p.left_on <= $2::date, false) AS pupil_left
                FROM inclusion.alert a
                LEFT JOIN inclusion.pupil p ON p.school_id = a.school_id AND p.id = a.pupil_id
                WHERE a.school_id = $1 AND a.state <> 'resolved'
                """,
            [school, asOf]
        ).compactMap { row in
            // An alert of a rule or severity this build does not know (written by a newer one) is left alone.
            guard let rule = try? row.decode(AlertRuleName.self, "rule"),
                let severity = try? row.decode(AlertSeverity.self, "severity"),
                let subject = AlertSubject(
                    type: try row.decode(String.self, "subject_type"),
                    id: try row.decode(Int64.self, "subject_id")
                )
            else { return nil }
            return AlertReconciliation.OpenAlert(
                id: try row.decode(Int64.self, "id"),
                key: Finding.Key(
                    rule: rule,
                    subject: subject,
                    dueOn: try row.decode(Day.self, "due_on")
                ),
                severity: severity,
                pupilLeft: try row.decode(Bool.self, "pupil_left")
            )
        }
    }

    // MARK: Writes

    /// Runs a statement that changes alerts and returns one row per change (id, rule, action, severity), each
    /// also NOTIFYing `inclusion_alert` with the alert's id, delivered when the school's transaction commits.
    private func events(_ sql: SQL, _ parameters: [any PostgresBindable]) throws -> [AlertEvent] {
        try connection.run(prepared: sql, parameters).map { row in
            AlertEvent(
                alertID: try row.decode(Int64.self, "id"),
                rule: try row.decode(String.self, "rule"),
                action: try row.decode(String.self, "action"),
                severity: try row.decode(String.self, "severity"),
                school: school
            )
        }
    }

    private func raise(_ findings: [Finding], _ pupilOf: [AlertSubject: Int64]) throws -> [AlertEvent] {
        guard !findings.isEmpty else { return [] }
        return try events(
            """
            WITH raised AS (
                INSERT INTO inclusion.alert (school_id, pupil_id, rule, subject_type, subject_id, due_on, severity,
                    raised_on)
                SELECT $1, nullif(f.pupil, '')::bigint, f.rule, f.subject_type, f.subject_id::bigint, f.due_on::date,
                       f.severity, $7::date
                FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $8::text[])
                     AS f(rule, subject_type, subject_id, due_on, severity, pupil)
                ON CONFLICT (rule, subject_type, subject_id, due_on) WHERE state <> 'resolved' DO NOTHING
                RETURNING id, school_id, severity, rule
            ), logged AS (
                INSERT INTO inclusion.alert_transition (school_id, alert_id, action, severity)
                SELECT school_id, id, 'raised', severity FROM raised
            )
            SELECT c.id, c.rule, 'raised' AS action, c.severity, pg_notify('inclusion_alert', c.id::text)
            FROM raised c
            """,
            [
                school,
                PostgresArray(findings.map(\.rule)),
                PostgresArray(findings.map(\.subject.type)),
                PostgresArray(findings.map { String($0.subject.id) }),
                PostgresArray(findings.map(\.dueOn)),
                PostgresArray(findings.map(\.severity)),
                asOf,
                PostgresArray(findings.map { pupilOf[$0.subject].map(String.init) ?? "" }),
            ]
        )
    }

    private func escalate(_ changes: [(Int64, AlertSeverity)]) throws -> [AlertEvent] {
        guard !changes.isEmpty else { return [] }
        return try events(
            """
            WITH changed AS (
                UPDATE inclusion.alert a SET severity = c.severity, escalated_on = $2::date, escalated_at = now()
                FROM unnest($3::text[], $4::text[]) AS c(id, severity)
                WHERE a.school_id = $1 AND a.id = c.id::bigint
                RETURNING a.id, a.school_id, a.severity, a.rule
            ), logged AS (
                INSERT INTO inclusion.alert_transition (school_id, alert_id, action, severity, reason)
                SELECT school_id, id, 'escalated', severity, 'the rule found it more urgent' FROM changed
            )
            SELECT c.id, c.rule, 'escalated' AS action, c.severity, pg_notify('inclusion_alert', c.id::text)
            FROM changed c
            """,
            [
                school, asOf, PostgresArray(changes.map { String($0.0) }), PostgresArray(changes.map(\.1)),
            ]
        )
    }

    private func resolve(_ changes: [(Int64, AlertReconciliation.ResolvedBecause)]) throws -> [AlertEvent] {
        guard !changes.isEmpty else { return [] }
        return try events(
            """
            WITH changed AS (
                UPDATE inclusion.alert a SET state = 'resolved', snoozed_until = NULL, resolved_at = now(),
                    resolved_reason = c.reason
                FROM unnest($2::text[], $3::text[]) AS c(id, reason)
                WHERE a.school_id = $1 AND a.id = c.id::bigint
                RETURNING a.id, a.school_id, a.severity, a.rule, a.resolved_reason
            ), logged AS (
                INSERT INTO inclusion.alert_transition (school_id, alert_id, action, severity, reason)
                SELECT school_id, id, 'resolved', severity, resolved_reason FROM changed
            )
            SELECT c.id, c.rule, 'resolved' AS action, c.severity, pg_notify('inclusion_alert', c.id::text)
            FROM changed c
            """,
            [school, PostgresArray(changes.map { String($0.0) }), PostgresArray(changes.map(\.1))]
        )
    }

    /// Snoozed alerts whose day has come are open again.
    private func wakeSnoozed() throws -> [AlertEvent] {
        try events(
            """
            WITH woken AS (
                UPDATE inclusion.alert SET state = 'open', snoozed_until = NULL
                WHERE school_id = $1 AND state = 'snoozed' AND snoozed_until <= $2::date
                RETURNING id, school_id, severity, rule
            ), logged AS (
                INSERT INTO inclusion.alert_transition (school_id, alert_id, action, severity, reason)
                SELECT school_id, id, 'woke', severity, 'the snooze ended' FROM woken
            )
            SELECT c.id, c.rule, 'woke' AS action, c.severity, pg_notify('inclusion_alert', c.id::text)
            FROM woken c
            """,
            [school, asOf]
        )
    }

    /// Alerts left open (not acknowledged, not snoozed) for `afterDays` since raised or last escalated go one step
    /// up, capped at critical.
    private func escalateLongOpen(afterDays: Int) throws -> [AlertEvent] {
        try events(
            """
            WITH changed AS (
                UPDATE inclusion.alert SET escalated_on = $2::date, escalated_at = now(),
                    severity = CASE severity WHEN 'info' THEN 'warning' ELSE 'critical' END
                WHERE school_id = $1 AND state = 'open' AND severity <> 'critical'
                  AND coalesce(escalated_on, raised_on) + $3::integer <= $2::date
                RETURNING id, school_id, severity, rule
            ), logged AS (
                INSERT INTO inclusion.alert_transition (school_id, alert_id, action, severity, reason)
                SELECT school_id, id, 'escalated', severity, 'open for longer than alerts.escalate-after' FROM changed
            )
            SELECT c.id, c.rule, 'escalated' AS action, c.severity, pg_notify('inclusion_alert', c.id::text)
            FROM changed c
            """,
            [school, asOf, afterDays]
        )
    }
}

extension AlertSubject {
    /// The subject an alert row names, or nil for a type this build does not know.
    init?(type: String, id: Int64) {
        switch type {
        case "plan": self = .plan(id)
        case "intervention": self = .intervention(id)
        case "pupil": self = .pupil(id)
        case "case": self = .pupilCase(id)
        case "school": self = .school(Int(id))
        default: return nil
        }
    }
}
