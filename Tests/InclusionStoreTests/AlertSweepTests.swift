import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// The review sweep against a real school: which alerts one sweep raises, that later sweeps raise nothing already
/// raised, and how alerts resolve, escalate, snooze and wake. Runs as the daemon's service login.
@Suite("Alert sweep", .serialized)
struct AlertSweepTests {
    static let database = Result { try TestDatabase.create(suite: "alertsweep") }
    static let school = Result { try SweepSchool(database: try AlertSweepTests.database.get()) }

    @Test func oneSweepRaisesEachLapseOnceAndTheAlertsLiveTheirLives() throws {
        let school = try Self.school.get()
        // A listener on inclusion_alert (any login may LISTEN; payloads are alert ids only).
        let listener = try school.database.connect(as: school.database.login("gov"))
        defer { listener.close() }
        try listener.listen("inclusion_alert")
        let first = try school.sweep(asOf: "2026-03-10")
        // One event per raised alert, for the journal, and the same ids on NOTIFY after each school's commit.
        #expect(first.events.count == 10)
        #expect(Set(first.events.map(\.action)) == ["raised"])
        var notified: [String] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while notified.count < first.events.count && ContinuousClock.now < deadline {
            notified += try listener.notifications(timeout: .milliseconds(500)).map(\.payload)
        }
        #expect(Set(notified) == Set(first.events.map { String($0.alertID) }))
        #expect(notified.allSatisfy { $0.allSatisfy(\.isNumber) })
        // Nine here, and term-dates-missing at the other school, which has recorded no terms.
        #expect(first.raised == 10)
        #expect(first.failedSchools == [], "\(first.failures)")
        #expect(
            try school.openAlerts() == [
                "case-stale case \(school.staleCase) 2026-02-17 info",
                "ehcp-annual-review-overdue plan \(school.ehcp) 2026-03-09 critical",
                "ehcp-review-meeting-unarranged plan \(school.ehcp) 2026-03-09 warning",
                "intervention-delivery-lapsed intervention \(school.group) 2026-02-14 warning",
                "intervention-low-delivery intervention \(school.group) 2025-09-08 warning",
                "phase-transfer-deadline plan \(school.ehcp) 2026-02-14 critical",
                "plan-review-due plan \(school.senSupport) 2026-03-20 info",
                "plan-without-provision plan \(school.ehcp) 2025-03-10 warning",
                "sen-without-plan pupil \(school.unplanned) 2025-12-01 warning",
            ]
        )

        // The same day again, and the next day: the same lapses, nothing new.
        #expect(try school.sweep(asOf: "2026-03-10").raised == 0)
        let nextDay = try school.sweep(asOf: "2026-03-11")
        #expect(nextDay.raised == 0)
        #expect(nextDay.resolved == 0)
        #expect(nextDay.open == 10)

        // A review recorded, and a pupil who left: their alerts resolve on the next sweep, each with its reason.
        try school.owner(
            "UPDATE inclusion.support_plan SET last_reviewed = '2026-03-11', next_review_due = '2026-07-17' WHERE id = $1",
            [school.senSupport]
        )
        try school.owner("UPDATE inclusion.pupil SET left_on = '2026-03-12' WHERE id = $1", [school.unplanned])
        let resolved = try school.sweep(asOf: "2026-03-12")
        #expect(resolved.resolved == 2)
        #expect(
            try school.resolvedReasons() == [
                "plan-review-due condition cleared", "sen-without-plan left",
            ]
        )

        // Seven days after it was raised, an alert still open goes one step up.
        let week = try school.sweep(asOf: "2026-03-17")
        #expect(week.escalated >= 1)
        #expect(try school.severity(rule: "case-stale") == "warning")
        #expect(try school.transitions(rule: "case-stale") == ["raised info", "escalated warning"])
    }

}

/// The pure rules and the sweep agree: the facts of the fixture school, written out by hand, run through
/// InclusionCore's rules give exactly the alerts the sweep raised from the database.
@Suite("Rules and sweep agree")
struct RulesAndSweepAgreeTests {
    static let database = Result { try TestDatabase.create(suite: "alertagree") }
    static let school = Result { try SweepSchool(database: try RulesAndSweepAgreeTests.database.get()) }

    @Test func theSameFixtureThroughBoth() throws {
        let school = try Self.school.get()
        let asOf = try Day(iso: "2026-03-10")
        _ = try school.sweep(asOf: "2026-03-10")
        let calendar = SchoolCalendar(
            terms: [
                TermDates(name: "Autumn", first: try Day(iso: "2025-09-03"), last: try Day(iso: "2025-12-19")),
                TermDates(name: "Spring", first: try Day(iso: "2026-01-05"), last: try Day(iso: "2026-03-27")),
                TermDates(name: "Summer", first: try Day(iso: "2026-04-13"), last: try Day(iso: "2026-07-22")),
            ],
            closures: [try Day(iso: "2026-02-16")...(try Day(iso: "2026-02-20"))]
        )
        let settings = RuleSettings()
        let year6 = PupilFacts(id: 1, dateOfBirth: try Day(iso: "2014-05-01"), senStatus: .ehcPlan)
        var ehcp = PlanFacts(
            id: Int64(school.ehcp),
            pupil: year6,
            kind: .ehcp,
            starts: try Day(iso: "2025-03-10"),
            nextReviewDue: try Day(iso: "2026-03-09")
        )
        ehcp.issuedOn = try Day(iso: "2025-03-10")
        let year4 = PupilFacts(id: 2, dateOfBirth: try Day(iso: "2016-01-01"), senStatus: .senSupport)
        let senSupport = PlanFacts(
            id: Int64(school.senSupport),
            pupil: year4,
            kind: .senSupport,
            starts: try Day(iso: "2025-09-08"),
            nextReviewDue: try Day(iso: "2026-03-20")
        )
        let unplanned = PupilFacts(
            id: Int64(school.unplanned),
            dateOfBirth: try Day(iso: "2016-02-01"),
            senStatus: .senSupport,
            senStatusSince: try Day(iso: "2025-12-01")
        )
        var group = InterventionFacts(
            id: Int64(school.group),
            starts: try Day(iso: "2025-09-08"),
            ends: try Day(iso: "2026-07-17"),
            sessionsPerWeek: 2
        )
        group.lastDelivered = try Day(iso: "2026-02-13")
        group.recentDeliveries = [try Day(iso: "2026-02-09"), try Day(iso: "2026-02-13")]
        let staleCase = CaseStale.Facts(
            id: Int64(school.staleCase),
            pupil: year4,
            openedOn: try Day(iso: "2026-01-05"),
            lastNoteOn: try Day(iso: "2026-01-20")
        )
        let expected: [Finding?] = [
            PlanReviewDue.evaluate(senSupport, calendar: calendar, settings: settings, asOf: asOf),
            PlanReviewDue.evaluate(ehcp, calendar: calendar, settings: settings, asOf: asOf),
            EHCPAnnualReview.evaluate(ehcp, settings: settings, asOf: asOf),
            EHCPEarlyYearsReview.evaluate(ehcp, settings: settings, asOf: asOf),
            EHCPReviewMeetingUnarranged.evaluate(ehcp, settings: settings, asOf: asOf),
            EHCPReviewInvitationsLate.evaluate(ehcp, asOf: asOf),
            EHCPReviewReportLate.evaluate(ehcp, asOf: asOf),
            EHCPReviewDecisionLate.evaluate(ehcp, asOf: asOf),
            EHCPAmendmentLate.evaluate(ehcp, asOf: asOf),
            PlanWithoutProvision.evaluate(ehcp, inActiveIntervention: false, asOf: asOf),
            PlanWithoutProvision.evaluate(senSupport, inActiveIntervention: true, asOf: asOf),
            PhaseTransferDeadline.evaluate(ehcp, transfer: .feb15, autumnStart: try Day(iso: "2025-09-03"), asOf: asOf),
            SENWithoutPlan.evaluate(unplanned, hasActivePlan: false, settings: settings, asOf: asOf),
            SENWithoutPlan.evaluate(year4, hasActivePlan: true, settings: settings, asOf: asOf),
            InterventionEndedUnreviewed.evaluate(group, asOf: asOf),
            InterventionDeliveryLapsed.evaluate(group, calendar: calendar, settings: settings, asOf: asOf),
            InterventionLowDelivery.evaluate(group, calendar: calendar, settings: settings, asOf: asOf),
            CaseStale.evaluate(staleCase, settings: settings, asOf: asOf),
            TermDatesMissing.evaluate(school: school.schoolID, calendar: calendar, asOf: asOf),
        ]
        let fromRules = expected.compactMap { $0 }.map {
            "\($0.rule) \($0.subject.type) \($0.subject.id) \($0.dueOn) \($0.severity)"
        }.sorted()
        #expect(fromRules.count == 9)
        #expect(try school.openAlerts() == fromRules)
    }
}

/// Who may see and act on alerts, on a school of its own so the sweeps above keep their days.
@Suite("Alert permissions")
struct AlertPermissionTests {
    static let database = Result { try TestDatabase.create(suite: "alertpeople") }
    static let school = Result { try SweepSchool(database: try AlertPermissionTests.database.get()) }

    @Test func peopleSeeAndActOnTheirSchoolsAlertsOnly() throws {
        let school = try Self.school.get()
        _ = try school.sweep(asOf: "2026-03-10")
        let alert = try school.alertID(rule: "case-stale")

        let staff = try school.database.connect(as: school.database.login("tia"))
        defer { staff.close() }
        let seenByStaff: Int = try firstValue(staff, "SELECT count(*)::integer FROM inclusion.alert")
        #expect(seenByStaff > 0)
        let staffAct = #expect(throws: PostgresError.self) {
            try staff.query("SELECT inclusion.alert_act($1, 'acknowledged', NULL, NULL)", [alert])
        }
        #expect(staffAct?.sqlState == "42501")

        let governor = try school.database.connect(as: school.database.login("gov"))
        defer { governor.close() }
        let rows = #expect(throws: PostgresError.self) { try governor.query("SELECT * FROM inclusion.alert") }
        #expect(rows?.sqlState == "42501")
        let counts = try governor.query("SELECT info + warning + critical FROM inclusion.open_alert_counts()")
        #expect(try counts[0].decode(Int.self, 0) > 0)

        let other = try school.database.connect(as: school.database.login("rob"))
        defer { other.close() }
        let hidden = #expect(throws: PostgresError.self) {
            try other.query("SELECT inclusion.alert_act($1, 'acknowledged', NULL, NULL)", [alert])
        }
        #expect(hidden?.sqlState == "IN404")
        // Rob sees his own school's alert (it has no term dates), none of this school's.
        let seenByOther = try other.query("SELECT rule FROM inclusion.alert").map { try $0.decode(String.self, 0) }
        #expect(seenByOther == ["term-dates-missing"])

        // The SENCO snoozes it; the sweep on the snooze's day wakes it.
        let senco = try school.database.connect(as: school.database.login("sam"))
        defer { senco.close() }
        let tomorrow: String = try firstValue(senco, "SELECT (current_date + 1)::text")
        try senco.query("SELECT inclusion.alert_act($1, 'snoozed', $2::date, NULL)", [alert, tomorrow])
        let snoozed: String = try firstValue(senco, "SELECT state FROM inclusion.alert WHERE id = $1", [alert])
        #expect(snoozed == "snoozed")
        _ = try school.sweep(asOf: tomorrow)
        let woken: String = try firstValue(senco, "SELECT state FROM inclusion.alert WHERE id = $1", [alert])
        #expect(woken == "open")
        let actors: [String] = try senco.query(
            "SELECT action || ' ' || actor FROM inclusion.alert_transition WHERE alert_id = $1 ORDER BY id",
            [alert]
        ).map { try $0.decode(String.self, 0) }
        #expect(actors.contains("snoozed \(school.database.login("sam"))"))
        #expect(actors.contains("woke \(school.database.daemonLogin)"))
        // Resolved by hand, with a reason; a second resolution is refused.
        try senco.query("SELECT inclusion.alert_act($1, 'resolved', NULL, 'spoke to the family')", [alert])
        let again = #expect(throws: PostgresError.self) {
            try senco.query("SELECT inclusion.alert_act($1, 'resolved', NULL, 'again')", [alert])
        }
        #expect(again?.sqlState == "IN409")
    }
}

/// One school with the records that make each rule fire once on 10 March 2026.
struct SweepSchool: Sendable {
    let database: TestDatabase
    let schoolID: Int
    let ehcp: Int
    let senSupport: Int
    let group: Int
    let staleCase: Int
    let unplanned: Int

    init(database: TestDatabase) throws {
        self.database = database
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        schoolID = try firstValue(
            owner,
            "INSERT INTO inclusion.school (urn, name, la_number) VALUES (700001, 'Sweep Primary', 801) RETURNING id"
        )
        let other: Int = try firstValue(
            owner,
            "INSERT INTO inclusion.school (urn, name, la_number) VALUES (700002, 'Elsewhere', 801) RETURNING id"
        )
        let add: SQL = "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], NULL, NULL)"
        for (login, kind, school) in [
            ("sam", "senco", schoolID), ("tia", "staff", schoolID), ("gov", "readonly", schoolID),
            ("rob", "senco", other),
        ] {
            try owner.query(add, [database.login(login), login, kind, PostgresArray(["\(school)"])])
        }
        for (name, first, last) in [
            ("Autumn", "2025-09-03", "2025-12-19"), ("Spring", "2026-01-05", "2026-03-27"),
            ("Summer", "2026-04-13", "2026-07-22"),
        ] {
            try owner.query(
                "INSERT INTO inclusion.term (school_id, name, first_day, last_day) VALUES ($1, $2, $3::date, $4::date)",
                [schoolID, name, first, last]
            )
        }
        try owner.query(
            """
            INSERT INTO inclusion.closure (school_id, first_day, last_day, reason)
            VALUES ($1, '2026-02-16', '2026-02-20', 'Half term')
            """,
            [schoolID]
        )
        let schoolID = self.schoolID
        func pupil(_ serial: Int, born: String, year: String, status: String, since: String?) throws -> Int {
            try firstValue(
                owner,
                """
                INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                    academic_year, sen_status, sen_status_since)
                VALUES ($1, $2, 'Sam', 'Sweep', $3::date, $4, 2025, $5, $6::date) RETURNING id
                """,
                [schoolID, validUPN(String(format: "7012006%05d", serial)), born, year, status, since]
            )
        }
        let year6 = try pupil(1, born: "2014-05-01", year: "6", status: "E", since: "2025-03-10")
        let year4 = try pupil(2, born: "2016-01-01", year: "4", status: "K", since: "2025-09-01")
        unplanned = try pupil(3, born: "2016-02-01", year: "4", status: "K", since: "2025-12-01")
        let leaver = try pupil(4, born: "2016-03-01", year: "4", status: "K", since: "2025-09-01")
        try owner.query("UPDATE inclusion.pupil SET left_on = '2026-02-01' WHERE id = $1", [leaver])
        try owner.query(
            "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'ASD', 'primary')",
            [schoolID, year6]
        )
        ehcp = try firstValue(
            owner,
            """
            INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, starts, review_cycle, next_review_due,
                issued_on, issuing_la)
            VALUES ($1, $2, 'ehcp', '2025-03-10', '12m', '2026-03-09', '2025-03-10', 'Sweepshire') RETURNING id
            """,
            [schoolID, year6]
        )
        senSupport = try firstValue(
            owner,
            """
            INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, starts, review_cycle, next_review_due)
            VALUES ($1, $2, 'sen-support', '2025-09-08', 'termly', '2026-03-20') RETURNING id
            """,
            [schoolID, year4]
        )
        group = try firstValue(
            owner,
            """
            INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes)
            VALUES ($1, 'Reading group', 'cognition-learning', '2025-09-08', '2026-07-17', 2, 30) RETURNING id
            """,
            [schoolID]
        )
        try owner.query(
            "INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id) VALUES ($1, $2, $3)",
            [schoolID, group, year4]
        )
        for day in ["2026-02-09", "2026-02-13"] {
            try owner.query(
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
                VALUES ($1, $2, $3::date, true)
                """,
                [schoolID, group, day]
            )
        }
        staleCase = try firstValue(
            owner,
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
            VALUES ($1, $2, 'concern', 'Quiet', '2026-01-05') RETURNING id
            """,
            [schoolID, year4]
        )
        try owner.query(
            """
            INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on)
            VALUES ($1, $2, 'note', 'Spoke to class teacher', '2026-01-20')
            """,
            [schoolID, staleCase]
        )
    }

    func sweep(asOf: String) throws -> AlertSweep.Summary {
        let service = try database.connect(as: database.daemonLogin)
        defer { service.close() }
        return try AlertSweep(connection: service).run(asOf: try Day(iso: asOf))
    }

    func owner(_ sql: SQL, _ parameters: [any PostgresBindable]) throws {
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        try owner.query(sql, parameters)
    }

    private func read(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws -> [String] {
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        return try owner.query(sql, parameters).map { try $0.decode(String.self, 0) }
    }

    func openAlerts() throws -> [String] {
        try read(
            """
            SELECT concat_ws(' ', rule, subject_type, subject_id, due_on, severity) FROM inclusion.alert
            WHERE school_id = $1 AND state <> 'resolved' ORDER BY 1
            """,
            [schoolID]
        )
    }

    func resolvedReasons() throws -> [String] {
        try read(
            "SELECT rule || ' ' || resolved_reason FROM inclusion.alert WHERE state = 'resolved' ORDER BY 1"
        )
    }

    func severity(rule: String) throws -> String? {
        try read("SELECT severity FROM inclusion.alert WHERE rule = $1 AND state <> 'resolved'", [rule]).first
    }

    func alertID(rule: String) throws -> Int {
        Int(try #require(try read("SELECT id::text FROM inclusion.alert WHERE rule = $1 ORDER BY id", [rule]).first))!
    }

    func transitions(rule: String) throws -> [String] {
        try read(
            """
            SELECT t.action || ' ' || t.severity FROM inclusion.alert_transition t
            JOIN inclusion.alert a ON a.id = t.alert_id WHERE a.rule = $1 ORDER BY t.id
            """,
            [rule]
        )
    }
}
