import InclusionTestSupport
import Logging
import Postgres
import Testing

/// The rules the schema enforces whoever writes: CHECKs, unique indexes, calendar and session triggers, the case
/// and need rules, and the delivery summary. Each test works in a school of its own, as the admin's login.
@Suite("Schema integrity")
struct SchemaIntegrityTests {
    static let database = Result { try TestDatabase.create(suite: "integrity") }
    static let fixture = Result { () throws -> Fixture in
        let database = try SchemaIntegrityTests.database.get()
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        try owner.query(
            "SELECT inclusion.staff_add($1, 'Admin', 'admin', NULL, NULL, NULL)",
            [database.login("boss")]
        )
        return Fixture(database: database)
    }

    // MARK: Needs

    @Test func nsaIsOnlyForSENSupportAndIsCheckedAtCommit() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_001)
        let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "K")
        try admin.query(
            "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'NSA', 'primary')",
            [school, pupil]
        )
        // K → E while an NSA need remains: refused when the transaction commits.
        let error = #expect(throws: PostgresError.self) {
            try admin.transaction { connection in
                try connection.query("UPDATE inclusion.pupil SET sen_status = 'E' WHERE id = $1", [pupil])
            }
        }
        #expect(error?.sqlState == "IN422")
        #expect(error?.column == "primary_need")
        #expect(
            try Fixture.value(admin, "SELECT sen_status FROM inclusion.pupil WHERE id = $1", [pupil]) as String == "K"
        )

        // The same change with the need replaced in the same transaction commits: that is why the check waits.
        try admin.transaction { connection in
            try connection.query("DELETE FROM inclusion.pupil_need WHERE pupil_id = $1", [pupil])
            try connection.query(
                "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'ASD', 'primary')",
                [school, pupil]
            )
            try connection.query("UPDATE inclusion.pupil SET sen_status = 'E' WHERE id = $1", [pupil])
        }
        #expect(
            try Fixture.value(admin, "SELECT sen_status FROM inclusion.pupil WHERE id = $1", [pupil]) as String == "E"
        )

        let nsaForEHCP = #expect(throws: PostgresError.self) {
            try admin.query(
                """
                INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'NSA', 'secondary')
                """,
                [school, pupil]
            )
        }
        #expect(nsaForEHCP?.sqlState == "IN422")
    }

    @Test func needsAreOnlyForPupilsWithSEN() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_002)
        let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "N")
        let error = #expect(throws: PostgresError.self) {
            try admin.query(
                "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'SPLD', 'primary')",
                [school, pupil]
            )
        }
        #expect(error?.sqlState == "IN422")
        #expect(error?.column == "sen_status")
    }

    @Test func aPupilHasAtMostOnePrimaryNeed() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_003)
        let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "K")
        let need: SQL = "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, $3, $4)"
        try admin.query(need, [school, pupil, "SPLD", "primary"])
        let error = #expect(throws: PostgresError.self) { try admin.query(need, [school, pupil, "MLD", "primary"]) }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.constraint == "pupil_need_one_primary")
        #expect(try admin.query(need, [school, pupil, "MLD", "secondary"]).affectedRows == 1)
        let twice = #expect(throws: PostgresError.self) { try admin.query(need, [school, pupil, "MLD", "secondary"]) }
        #expect(twice?.constraint == "pupil_need_once")
    }

    // MARK: Plans

    @Test func aPupilHasOneActivePlanOfEachKind() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_004)
        let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "E")
        let plan: SQL = """
            INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, status, starts, review_cycle,
                next_review_due) VALUES ($1, $2, $3, $4, '2025-09-01', '12m', '2026-09-01') RETURNING id
            """
        let first: Int = try Fixture.value(admin, plan, [school, pupil, "sen-support", "active"])
        let error = #expect(throws: PostgresError.self) {
            try admin.query(plan, [school, pupil, "sen-support", "active"])
        }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.constraint == "support_plan_one_active")
        // Another kind, or a draft of the same kind, is fine.
        #expect(try admin.query(plan, [school, pupil, "ehcp", "active"]).count == 1)
        let draft: Int = try Fixture.value(admin, plan, [school, pupil, "sen-support", "draft"])
        // Once the first is closed, the draft may become the active plan.
        try admin.query(
            """
            UPDATE inclusion.support_plan SET status = 'closed', closed_on = '2026-01-10', close_reason = 'Replaced'
            WHERE id = $1
            """,
            [first]
        )
        #expect(
            try admin.query("UPDATE inclusion.support_plan SET status = 'active' WHERE id = $1", [draft]).affectedRows
                == 1
        )
        let reopen = #expect(throws: PostgresError.self) {
            try admin.query(
                """
                UPDATE inclusion.support_plan SET status = 'active', closed_on = NULL, close_reason = NULL WHERE id = $1
                """,
                [first]
            )
        }
        #expect(reopen?.sqlState == "IN409")
    }

    // MARK: Dates in order

    enum DateOrder: String, CaseIterable, Sendable {
        case interventionEnds = "intervention_ends_after_start"
        case interventionEnded = "intervention_ended_after_start"
        case closure = "closure_dates_in_order"
        case planDue = "plan_due_after_start"
    }

    @Test(arguments: DateOrder.allCases.enumerated().map { ($0.offset, $0.element) })
    func anEndBeforeItsStartIsRefused(index: Int, rule: DateOrder) throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_100 + index)
        let statement: SQL
        var parameters: [any PostgresBindable] = [school]
        switch rule {
        case .interventionEnds:
            statement = """
                INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes)
                VALUES ($1, 'Backwards', 'semh', '2025-10-01', '2025-09-30', 1, 30)
                """
        case .interventionEnded:
            let intervention = try Fixture.addIntervention(
                admin,
                school: school,
                starts: "2025-10-01",
                ends: "2025-12-01"
            )
            statement = "UPDATE inclusion.intervention SET ended_on = '2025-09-30' WHERE school_id = $1 AND id = $2"
            parameters.append(intervention)
        case .closure:
            // Inside a term, so the calendar trigger lets the row through to the CHECK.
            try Fixture.addTerm(admin, school: school, from: "2025-09-01", to: "2025-12-19")
            statement = """
                INSERT INTO inclusion.closure (school_id, first_day, last_day, reason)
                VALUES ($1, '2025-10-31', '2025-10-27', 'Backwards')
                """
        case .planDue:
            let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "K")
            statement = """
                INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, starts, review_cycle, next_review_due)
                VALUES ($1, $2, 'sen-support', '2025-09-01', 'termly', '2025-08-01')
                """
            parameters.append(pupil)
        }
        let error = #expect(throws: PostgresError.self) { try admin.query(statement, parameters) }
        #expect(error?.code == .checkViolation)
        #expect(error?.constraint == rule.rawValue)
    }

    /// BUG (sql/0002_schools_and_staff.sql, `inclusion.check_calendar`): the BEFORE trigger builds
    /// `daterange(NEW.first_day, NEW.last_day, '[]')` before the row's CHECKs run, so a term that ends before it
    /// starts fails with 22000 "range lower bound must be less than or equal to range upper bound" (a data
    /// exception the store reports as invalid text with no field) instead of term_dates_in_order, whose friendly
    /// message in StoreError is never reached.
    @Test func aTermEndingBeforeItStartsIsRefusedByItsCheck() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_150)
        let error = #expect(throws: PostgresError.self) {
            try Fixture.addTerm(admin, school: school, from: "2025-12-19", to: "2025-09-01")
        }
        #expect(error?.code == .checkViolation, "\(error?.debugDescription ?? "")")
        #expect(error?.constraint == "term_dates_in_order")
    }

    // MARK: Sessions

    @Test(arguments: [
        ("2025-09-05", false), ("2025-09-08", true), ("2025-10-17", true), ("2025-10-20", false),
    ])
    func aSessionMustFallInsideItsInterventionsDates(day: String, accepted: Bool) throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_200 + Int(day.suffix(2))!)
        let intervention = try Fixture.addIntervention(admin, school: school, starts: "2025-09-08", ends: "2025-10-17")
        let session: SQL = """
            INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
            VALUES ($1, $2, $3, true)
            """
        if accepted {
            #expect(try admin.query(session, [school, intervention, day]).affectedRows == 1)
        } else {
            let error = #expect(throws: PostgresError.self) { try admin.query(session, [school, intervention, day]) }
            #expect(error?.sqlState == "IN422")
            #expect(error?.column == "on")
        }
    }

    @Test func aSessionAfterAnEarlyEndIsRefused() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_300)
        let intervention = try Fixture.addIntervention(admin, school: school, starts: "2025-09-08", ends: "2025-12-19")
        try admin.query("UPDATE inclusion.intervention SET ended_on = '2025-10-01' WHERE id = $1", [intervention])
        let error = #expect(throws: PostgresError.self) {
            try admin.query(
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
                VALUES ($1, $2, '2025-10-02', true)
                """,
                [school, intervention]
            )
        }
        #expect(error?.sqlState == "IN422")
    }

    @Test func anAbsentPupilMustBeInTheGroup() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_301)
        let member = try Fixture.addPupil(admin, school: school, serial: 1, status: "K")
        let outsider = try Fixture.addPupil(admin, school: school, serial: 2, status: "K")
        let group = try Fixture.addIntervention(admin, school: school, starts: "2025-09-01", ends: "2025-12-19")
        try Fixture.join(admin, school: school, intervention: group, pupil: member)
        let session = try Fixture.addSession(admin, school: school, intervention: group, day: "2025-09-10")
        let error = #expect(throws: PostgresError.self) {
            try Fixture.markAbsent(admin, school: school, session: session, intervention: group, pupil: outsider)
        }
        #expect(error?.code == .foreignKeyViolation)
        #expect(error?.constraint == "session_absence_school_id_intervention_id_pupil_id_fkey")
        try Fixture.markAbsent(admin, school: school, session: session, intervention: group, pupil: member)
    }

    /// BUG (sql/0006_interventions.sql, `inclusion.session_absence`): the absence names its session and, separately,
    /// an intervention, and nothing ties the two together. An absence can point at a session of one intervention
    /// while naming another intervention the pupil belongs to, so "an absent pupil must be in the group" is checked
    /// against the wrong group.
    @Test func anAbsenceNamesItsSessionsOwnIntervention() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_302)
        let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "K")
        let reading = try Fixture.addIntervention(admin, school: school, starts: "2025-09-01", ends: "2025-12-19")
        let speech = try Fixture.addIntervention(admin, school: school, starts: "2025-09-01", ends: "2025-12-19")
        try Fixture.join(admin, school: school, intervention: speech, pupil: pupil)
        let readingSession = try Fixture.addSession(admin, school: school, intervention: reading, day: "2025-09-10")
        let error = #expect(throws: PostgresError.self) {
            try Fixture.markAbsent(admin, school: school, session: readingSession, intervention: speech, pupil: pupil)
        }
        #expect(error?.code == .foreignKeyViolation)
    }

    // MARK: Calendar

    @Test func overlappingTermsAreRefused() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_400)
        try Fixture.addTerm(admin, school: school, from: "2025-09-01", to: "2025-12-19")
        let error = #expect(throws: PostgresError.self) {
            try Fixture.addTerm(admin, school: school, from: "2025-12-15", to: "2026-01-30")
        }
        #expect(error?.sqlState == "IN422")
        #expect(error?.column == "from")
        // Touching is not overlapping.
        try Fixture.addTerm(admin, school: school, from: "2025-12-20", to: "2026-03-27")
        let moved = #expect(throws: PostgresError.self) {
            try admin.query(
                "UPDATE inclusion.term SET last_day = '2025-12-22' WHERE school_id = $1 AND first_day = '2025-09-01'",
                [school]
            )
        }
        #expect(moved?.sqlState == "IN422")
    }

    /// BUG (sql/0002_schools_and_staff.sql, `inclusion.check_calendar`): the overlap check reads the terms its own
    /// snapshot can see and takes no lock, so two transactions adding overlapping terms to one school both pass
    /// and both commit.
    @Test func concurrentOverlappingTermsAreRefused() async throws {
        let fixture = try Self.fixture.get()
        let (admin, school) = try fixture.adminAndSchool(urn: 400_401)
        admin.close()
        let conninfo = fixture.database.conninfo(as: fixture.database.login("boss"))
        let first = try await ConfinedConnection.connect(conninfo: conninfo, logger: Fixture.logger)
        let second = try await ConfinedConnection.connect(conninfo: conninfo, logger: Fixture.logger)
        try await first.withConnection { connection in
            try connection.query("BEGIN")
            try Fixture.addTerm(connection, school: school, from: "2026-01-05", to: "2026-03-27")
        }
        // With a correct check the second insert waits for the first transaction, so it runs concurrently.
        async let secondInsert = second.withConnection { connection -> PostgresError? in
            do {
                try connection.query("BEGIN")
                try Fixture.addTerm(connection, school: school, from: "2026-02-01", to: "2026-04-30")
                return nil
            } catch let error as PostgresError { return error }
        }
        try await Task.sleep(for: .milliseconds(200))
        try await first.withConnection { connection in _ = try connection.query("COMMIT") }
        let insertFailure = try await secondInsert
        let committed = try await second.withConnection { connection -> PostgresError? in
            do {
                try connection.query(insertFailure == nil ? "COMMIT" : "ROLLBACK")
                return nil
            } catch let error as PostgresError { return error }
        }
        let failure = insertFailure ?? committed
        #expect(["IN422", "23P01"].contains(failure?.sqlState ?? "none"), "\(failure?.debugDescription ?? "no error")")
        let terms = try await first.withConnection { connection -> Int in
            try Fixture.value(connection, "SELECT count(*) FROM inclusion.term WHERE school_id = $1", [school])
        }
        #expect(terms == 1)
    }

    @Test func aClosureMustLieInsideATerm() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_402)
        try Fixture.addTerm(admin, school: school, from: "2025-09-01", to: "2025-12-19")
        try Fixture.addTerm(admin, school: school, from: "2026-01-05", to: "2026-03-27")
        let closure: SQL =
            "INSERT INTO inclusion.closure (school_id, first_day, last_day, reason) VALUES ($1, $2, $3, 'Closed')"
        #expect(try admin.query(closure, [school, "2025-10-27", "2025-10-31"]).affectedRows == 1)
        for (from, to) in [("2025-12-18", "2026-01-06"), ("2025-12-22", "2025-12-23"), ("2026-03-27", "2026-03-30")] {
            let error = #expect(throws: PostgresError.self) { try admin.query(closure, [school, from, to]) }
            #expect(error?.sqlState == "IN422", "\(from)…\(to)")
        }
    }

    // MARK: Cases

    @Test func aClosedCaseRefusesNotesAndStaysClosed() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_500)
        let pupil = try Fixture.addPupil(admin, school: school, serial: 1, status: "K")
        let openCase: Int = try Fixture.value(
            admin,
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
            VALUES ($1, $2, 'referral', 'Speech referral', '2025-09-01') RETURNING id
            """,
            [school, pupil]
        )
        let note: SQL =
            """
            INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on) VALUES ($1, $2, 'note', 'x', $3)
            """
        try admin.query(note, [school, openCase, "2025-10-01"])
        #expect(
            try Fixture.value(admin, "SELECT last_note_on::text FROM inclusion.pupil_case WHERE id = $1", [openCase])
                as String == "2025-10-01"
        )
        try admin.query(
            """
            UPDATE inclusion.pupil_case SET state = 'closed', closed_on = '2025-11-01', outcome = 'Seen' WHERE id = $1
            """,
            [openCase]
        )
        let error = #expect(throws: PostgresError.self) { try admin.query(note, [school, openCase, "2025-11-02"]) }
        #expect(error?.sqlState == "IN409")
        #expect(error?.column == "case")
        let reopen = #expect(throws: PostgresError.self) {
            try admin.query(
                "UPDATE inclusion.pupil_case SET state = 'monitoring', closed_on = NULL, outcome = NULL WHERE id = $1",
                [openCase]
            )
        }
        #expect(reopen?.sqlState == "IN409")
    }

    // MARK: Delivery summary

    @Test func theDeliverySummaryFollowsTheSessionLog() throws {
        let fixture = try Self.fixture.get()
        let (admin, school) = try fixture.adminAndSchool(urn: 400_600)
        let intervention = try Fixture.addIntervention(admin, school: school, starts: "2025-09-01", ends: "2025-12-19")
        let owner = try fixture.database.connect(as: fixture.database.owner)
        try owner.query(
            "SELECT inclusion.staff_add($1, 'Teaching Assistant', 'staff', ARRAY[$2::integer], NULL, NULL)",
            [fixture.database.login("ta_600"), school]
        )
        // A TA logs sessions: the summary is kept by the trigger, which they could not write themselves.
        let assistant = try fixture.database.connect(as: fixture.database.login("ta_600"))
        let monday = try Fixture.addSession(assistant, school: school, intervention: intervention, day: "2025-09-08")
        let wednesday = try Fixture.addSession(assistant, school: school, intervention: intervention, day: "2025-09-10")
        let missed: Int = try Fixture.value(
            assistant,
            """
            INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered, missed_reason)
            VALUES ($1, $2, '2025-09-15', false, 'TA off sick') RETURNING id
            """,
            [school, intervention]
        )
        #expect(try Fixture.delivery(admin, intervention) == ["2025-09-10", "2", "1"])
        #expect(try Fixture.weeks(admin, intervention) == [["2025-09-08", "2", "0"], ["2025-09-15", "0", "1"]])

        let latest = try Fixture.addSession(admin, school: school, intervention: intervention, day: "2025-09-17")
        #expect(try Fixture.delivery(admin, intervention) == ["2025-09-17", "3", "1"])

        // Deleting the latest delivered session falls back to the one before.
        try admin.query("DELETE FROM inclusion.intervention_session WHERE id = $1", [latest])
        #expect(try Fixture.delivery(admin, intervention) == ["2025-09-10", "2", "1"])
        try admin.query("DELETE FROM inclusion.intervention_session WHERE id = $1", [wednesday])
        #expect(try Fixture.delivery(admin, intervention) == ["2025-09-08", "1", "1"])

        // A missed session later marked delivered moves the latest date forward.
        try admin.query(
            "UPDATE inclusion.intervention_session SET delivered = true, missed_reason = NULL WHERE id = $1",
            [missed]
        )
        #expect(try Fixture.delivery(admin, intervention) == ["2025-09-15", "2", "0"])
        #expect(try Fixture.weeks(admin, intervention) == [["2025-09-08", "1", "0"], ["2025-09-15", "1", "0"]])

        try admin.query(
            "DELETE FROM inclusion.intervention_session WHERE id = ANY ($1::bigint[])",
            [PostgresArray([monday, missed])]
        )
        #expect(try Fixture.delivery(admin, intervention) == [nil, "0", "0"])
    }

    // MARK: UPNs

    static let badUPNs: [String] = {
        let valid = upn("802400100001")
        let wrongLetter = valid.first == "A" ? "B" : "A"
        return [
            wrongLetter + valid.dropFirst(),  // wrong check letter
            valid.lowercased(),
            "I" + valid.dropFirst(), "O" + valid.dropFirst(), "S" + valid.dropFirst(),  // letters never used
            String(valid.dropLast()),  // 12 characters
            valid + "0",  // 14 characters
            String(valid.prefix(5)) + "X" + String(valid.dropFirst(6)),  // a letter inside the number
            "", " " + valid,
        ]
    }()

    @Test(arguments: badUPNs.enumerated().map { ($0.offset, $0.element) })
    func anInvalidUPNIsRefused(index: Int, upn: String) throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_700 + index)
        let error = #expect(throws: PostgresError.self) {
            try admin.query(Fixture.pupilInsert, [school, upn, "K"])
        }
        #expect(error?.code == .checkViolation)
        #expect(error?.constraint == "pupil_upn_valid")
    }

    @Test func validPermanentAndTemporaryUPNsAreAccepted() throws {
        let (admin, school) = try Self.fixture.get().adminAndSchool(urn: 400_799)
        for body in ["802400100001", "80240010000A", "99999999999Z"] {
            #expect(try admin.query(Fixture.pupilInsert, [school, Self.upn(body), "N"]).affectedRows == 1, "\(body)")
        }
    }

    /// The DfE check letter (characters 2-13 weighted 2-13, mod 23) before the 12 given.
    static func upn(_ body: String) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
        var sum = 0
        for (offset, character) in body.enumerated() {
            sum += (character.wholeNumberValue ?? alphabet.firstIndex(of: character) ?? 0) * (offset + 2)
        }
        return String(alphabet[sum % 23]) + body
    }
}

extension SchemaIntegrityTests {
    /// The suite's database with its admin login; each test makes a school of its own.
    struct Fixture: Sendable {
        let database: TestDatabase

        static let logger: Logger = {
            var logger = Logger(label: "inclusion.tests.integrity")
            logger.logLevel = .warning
            return logger
        }()

        /// The admin's connection and a new school with this URN.
        func adminAndSchool(urn: Int) throws -> (Connection, Int) {
            let admin = try database.connect(as: database.login("boss"))
            let school: Int = try Self.value(
                admin,
                "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, $2, 804) RETURNING id",
                [urn, "Integrity School \(urn)"]
            )
            return (admin, school)
        }

        static let pupilInsert: SQL = """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year, sen_status) VALUES ($1, $2, 'Ira', 'Tegrity', '2015-04-05', '5', 2025, $3) RETURNING id
            """

        static func addPupil(_ connection: Connection, school: Int, serial: Int, status: String) throws -> Int {
            try value(
                connection,
                pupilInsert,
                [school, SchemaIntegrityTests.upn("8024009" + String(10_000 + serial)), status]
            )
        }

        static func addIntervention(_ connection: Connection, school: Int, starts: String, ends: String) throws -> Int {
            try value(
                connection,
                """
                INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes)
                VALUES ($1, 'Integrity group', 'communication-interaction', $2, $3, 2, 30) RETURNING id
                """,
                [school, starts, ends]
            )
        }

        static func join(_ connection: Connection, school: Int, intervention: Int, pupil: Int) throws {
            try connection.query(
                "INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id) VALUES ($1, $2, $3)",
                [school, intervention, pupil]
            )
        }

        static func addSession(_ connection: Connection, school: Int, intervention: Int, day: String) throws -> Int {
            try value(
                connection,
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
                VALUES ($1, $2, $3, true) RETURNING id
                """,
                [school, intervention, day]
            )
        }

        static func markAbsent(_ connection: Connection, school: Int, session: Int, intervention: Int, pupil: Int)
            throws
        {
            try connection.query(
                """
                INSERT INTO inclusion.session_absence (school_id, session_id, intervention_id, pupil_id)
                VALUES ($1, $2, $3, $4)
                """,
                [school, session, intervention, pupil]
            )
        }

        static func addTerm(_ connection: Connection, school: Int, from: String, to: String) throws {
            try connection.query(
                "INSERT INTO inclusion.term (school_id, name, first_day, last_day) VALUES ($1, $2, $3, $4)",
                [school, "Term from \(from)", from, to]
            )
        }

        /// last_delivered_on, delivered, missed.
        static func delivery(_ connection: Connection, _ intervention: Int) throws -> [String?] {
            let row = try #require(
                try connection.query(
                    """
                    SELECT last_delivered_on::text, delivered, missed FROM inclusion.intervention_delivery
                    WHERE intervention_id = $1
                    """,
                    [intervention]
                ).first
            )
            return row.texts
        }

        /// Each week with sessions: its Monday, delivered, missed.
        static func weeks(_ connection: Connection, _ intervention: Int) throws -> [[String?]] {
            try connection.query(
                """
                SELECT week_start::text, delivered, missed FROM inclusion.intervention_week
                WHERE intervention_id = $1 AND (delivered, missed) <> (0, 0) ORDER BY week_start
                """,
                [intervention]
            ).map(\.texts)
        }

        static func value<T: PostgresDecodable>(
            _ connection: Connection,
            _ sql: SQL,
            _ parameters: [any PostgresBindable] = []
        ) throws -> T {
            try #require(try connection.query(sql, parameters).first).decode(T.self, 0)
        }
    }
}
