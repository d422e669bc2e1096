import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Logging
import Postgres
import Testing

/// The boundary between schools, trusts and roles, tried as an attacker with a PostgreSQL login would (issue 6).
///
/// The catalogue tests run over whatever functions and tables exist, so later migrations are covered without
/// editing them.
@Suite("Security boundary")
struct SecurityBoundaryTests {
    static let database = Result { try TestDatabase.create(suite: "security") }
    static let realm = Result { try Realm(database: try SecurityBoundaryTests.database.get()) }

    /// The kinds of login an attacker may hold.
    enum Login: String, CaseIterable, Sendable {
        case admin = "boss"
        case senco = "senco_a"
        case staff = "staff_a"
        case readonly = "governor"
        case service = "daemon"
    }

    // MARK: The catalogue

    @Test func everyFunctionIsClosedUnlessListedAndDefinersPinTheirSearchPath() throws {
        let realm = try Self.realm.get()
        let owner = try realm.database.connect(as: realm.database.owner)
        defer { owner.close() }
        let rows = try owner.query(
            """
            SELECT p.oid::regprocedure::text AS name, p.prosecdef AS definer,
                   coalesce(array_to_string(p.proconfig, ';'), '') AS config,
                   p.prorettype = 'trigger'::regtype AS is_trigger,
                   coalesce((SELECT array_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END)
                             FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                             WHERE a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE'), '{}') AS granted,
                   coalesce((SELECT array_agg(inclusion.group_role(k)::text)
                             FROM inclusion.function_grant g, unnest(g.kinds) k
                             WHERE to_regprocedure(g.function) = p.oid), '{}') AS listed
            FROM pg_proc p WHERE p.pronamespace = 'inclusion'::regnamespace ORDER BY 1
            """
        )
        #expect(rows.count > 40)
        var definers = 0
        for row in rows {
            let name = try row.decode(String.self, "name")
            let granted = Set(try row.decode(PostgresTextArray.self, "granted").strings)
            let listed = Set(try row.decode(PostgresTextArray.self, "listed").strings)
            #expect(!granted.contains("PUBLIC"), "\(name) is executable by PUBLIC")
            #expect(granted == listed, "\(name): granted \(granted.sorted()), listed \(listed.sorted())")
            if try row.decode(Bool.self, "is_trigger") {
                #expect(granted.isEmpty, "trigger function \(name) is executable by \(granted.sorted())")
            }
            if try row.decode(Bool.self, "definer") {
                definers += 1
                #expect(
                    try row.decode(String.self, "config").contains("search_path=pg_catalog, inclusion, pg_temp"),
                    "SECURITY DEFINER \(name) does not pin its search_path"
                )
            }
        }
        #expect(definers >= 15)
        // Every entry of the list names a function that exists.
        let dangling = try owner.query(
            "SELECT function FROM inclusion.function_grant WHERE to_regprocedure(function) IS NULL"
        )
        #expect(dangling.count == 0)
    }

    @Test func everyTableOfSchoolRowsForcesRowSecurityAndGrantsNothingToPublic() throws {
        let realm = try Self.realm.get()
        let owner = try realm.database.connect(as: realm.database.owner)
        defer { owner.close() }
        // A table of school rows that SENCOs, staff or governors may touch at all forces row security. (The audit
        // trail and the staff mappings are the admins' and the service's alone.)
        let unprotected = try owner.query(
            """
            SELECT c.relname::text FROM pg_class c
            WHERE c.relnamespace = 'inclusion'::regnamespace AND c.relkind IN ('r', 'p')
              AND (c.relname = 'school' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                                   AND a.attname = 'school_id' AND NOT a.attisdropped))
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
              AND EXISTS (SELECT 1 FROM unnest($1::text[]) g(role)
                          WHERE has_table_privilege(g.role, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'))
            """,
            [PostgresArray(["senco", "staff", "readonly"].map(realm.database.group))]
        ).map { try $0.decode(String.self, 0) }
        #expect(unprotected == [])
        let publicGrants = try owner.query(
            """
            SELECT c.relname::text FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace = 'inclusion'::regnamespace AND a.grantee = 0
            """
        ).map { try $0.decode(String.self, 0) }
        #expect(publicGrants == [])
    }

    @Test func noStatisticsViewShowsTheValuesOfProtectedTables() throws {
        let realm = try Self.realm.get()
        let owner = try realm.database.connect(as: realm.database.owner)
        try owner.query("ANALYZE inclusion.pupil")
        owner.close()
        for login in Login.allCases {
            let connection = try realm.connect(login)
            defer { connection.close() }
            for view: SQL in ["pg_stats", "pg_stats_ext", "pg_stats_ext_exprs"] {
                let count: Int = try firstValue(
                    connection,
                    "SELECT count(*)::integer FROM pg_catalog.\(view) WHERE schemaname = 'inclusion'"
                )
                #expect(count == 0, "\(login) reads \(count) rows of \(view)")
            }
        }
    }

    // MARK: Trigger functions

    @Test(arguments: Login.allCases)
    func noLoginCanAttachATriggerFunctionToATableOfItsOwn(login: Login) throws {
        let realm = try Self.realm.get()
        let functions = try realm.triggerFunctions()
        #expect(functions.count >= 10)
        let connection = try realm.connect(login)
        defer { connection.close() }
        try connection.query(
            """
            CREATE TEMP TABLE attack (id bigint, school_id integer, intervention_id bigint, case_id bigint,
                pupil_id bigint, held_on date, delivered boolean, noted_on date, confidential boolean,
                first_day date, last_day date, sen_status char(1))
            """
        )
        for (name, _) in functions {
            let refused = #expect(throws: PostgresError.self, "\(login) attached \(name)") {
                try connection.query(
                    "CREATE TRIGGER attack BEFORE INSERT ON pg_temp.attack FOR EACH ROW EXECUTE FUNCTION \(name)"
                )
            }
            #expect(refused?.sqlState == "42501", "\(login), \(name): \(refused?.sqlState ?? "-")")
        }
    }

    @Test func ownerRunTriggerFunctionsRefuseEveryTableButTheirOwn() throws {
        let realm = try Self.realm.get()
        let owner = try realm.database.connect(as: realm.database.owner)
        defer { owner.close() }
        try owner.query(
            """
            CREATE TEMP TABLE attack (id bigint, school_id integer, intervention_id bigint, case_id bigint,
                pupil_id bigint, held_on date, delivered boolean, noted_on date, confidential boolean,
                first_day date, last_day date)
            """
        )
        let definers = try realm.triggerFunctions().filter(\.definer)
        #expect(definers.count >= 4)
        for (name, _) in definers {
            try owner.query("DROP TRIGGER IF EXISTS attack ON pg_temp.attack")
            try owner.query(
                "CREATE TRIGGER attack AFTER INSERT ON pg_temp.attack FOR EACH ROW EXECUTE FUNCTION \(name)"
            )
            let refused = #expect(throws: PostgresError.self, "\(name) ran on a temporary table") {
                try owner.query(
                    """
                    INSERT INTO pg_temp.attack VALUES (1, $1, 1, 1, 1, '2025-10-01', true, '2025-10-01', false,
                        '2025-10-01', '2025-10-02')
                    """,
                    [realm.schoolB]
                )
            }
            #expect(refused?.sqlState == "IN403", "\(name): \(refused?.sqlState ?? "-")")
        }
    }

    @Test func triggersDoNotDescribeAnotherSchoolsRows() throws {
        let realm = try Self.realm.get()
        let staff = try realm.connect(.staff)
        defer { staff.close() }
        // A session of school B's intervention, filed under the TA's own school, far outside B's dates.
        let session = #expect(throws: PostgresError.self) {
            try staff.query(
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
                VALUES ($1, $2, '2020-01-06', true)
                """,
                [realm.schoolA, realm.interventionB]
            )
        }
        #expect(session?.sqlState == "23503")
        #expect(session?.serverMessage?.contains("2025") == false)
        // A note on school B's closed case.
        let note = #expect(throws: PostgresError.self) {
            try staff.query(
                "INSERT INTO inclusion.case_note (school_id, case_id, kind, body) VALUES ($1, $2, 'note', 'x')",
                [realm.schoolA, realm.closedCaseB]
            )
        }
        #expect(note?.sqlState == "23503")
        // A SENCO's term for a school not theirs, overlapping that school's term: row security refuses it, and
        // the overlap is never mentioned.
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let term = #expect(throws: PostgresError.self) {
            try senco.query(
                """
                INSERT INTO inclusion.term (school_id, name, first_day, last_day)
                VALUES ($1, 'Probe', '2025-10-01', '2025-10-02')
                """,
                [realm.schoolB]
            )
        }
        #expect(term?.sqlState == "42501")
    }

    // MARK: Roles and trusts

    @Test func aSecondDatabaseCannotAdoptAnotherTrustsRoles() throws {
        let realm = try Self.realm.get()
        let database = realm.database
        let second = database.name + "_second"
        let secondOwner = database.name + "_owner2"
        let superuser = try Connection(conninfo: database.superuserConninfo, logger: quiet)
        defer { superuser.close() }
        try superuser.query("DROP DATABASE IF EXISTS \(SQL.identifier(second)) WITH (FORCE)")
        try superuser.query("DROP ROLE IF EXISTS \(SQL.identifier(secondOwner))")
        try superuser.query("CREATE ROLE \(SQL.identifier(secondOwner)) LOGIN CREATEROLE")
        try superuser.query("CREATE DATABASE \(SQL.identifier(second)) OWNER \(SQL.identifier(secondOwner))")
        let owner = try Connection(
            conninfo: database.superuserConninfo + " dbname=\(second) user=\(secondOwner)",
            logger: quiet
        )
        defer { owner.close() }
        let migrator = Migrator(connection: owner)

        // The first trust's prefix: refused, and its group roles gain nothing in the second database.
        let samePrefix = #expect(throws: StoreError.self) {
            try migrator.migrate(rolePrefix: database.name, daemonLogin: database.name + "_daemon2")
        }
        #expect(samePrefix?.kind == .configuration)
        #expect(samePrefix?.field == "role-prefix")
        #expect(samePrefix?.message.contains("\(database.name)_admin") == true)
        let usage: Bool = try firstValue(
            owner,
            "SELECT has_schema_privilege($1, 'inclusion', 'USAGE')",
            [database.group("admin")]
        )
        #expect(usage == false)
        let appliedNone: Int = try firstValue(owner, "SELECT count(*)::integer FROM inclusion.schema_migration")
        #expect(appliedNone == 0)

        // A fresh prefix but the first trust's daemon login.
        let sameDaemon = #expect(throws: StoreError.self) {
            try migrator.migrate(rolePrefix: database.name + "_x", daemonLogin: database.daemonLogin)
        }
        #expect(sameDaemon?.field == "daemon-login")

        // A login the first trust's admin created, named as the second trust's daemon would be.
        let admin = try realm.connect(.admin)
        defer { admin.close() }
        try admin.query(
            "SELECT inclusion.staff_add($1, 'Squatter', 'staff', $2::integer[], NULL, NULL)",
            [database.login("squat"), PostgresArray(["\(realm.schoolA)"])]
        )
        let squatted = #expect(throws: StoreError.self) {
            try migrator.migrate(rolePrefix: database.name + "_y", daemonLogin: database.login("squat"))
        }
        #expect(squatted?.field == "daemon-login")

        // Names of its own: migrated, and migrating again adopts its own roles.
        let applied = try migrator.migrate(rolePrefix: database.name + "_z", daemonLogin: database.name + "_zd")
        #expect(applied.count == Migration.embedded.count)
        #expect(try migrator.migrate(rolePrefix: database.name + "_z", daemonLogin: database.name + "_zd") == [])
        let marks: Int = try firstValue(
            superuser,
            """
            SELECT count(*)::integer FROM pg_roles
            WHERE starts_with(rolname, $1) AND starts_with(shobj_description(oid, 'pg_authid'), 'inclusiond:')
            """,
            [database.name + "_z"]
        )
        #expect(marks == 6)
    }

    @Test(arguments: [
        ("pg_evil", "IN422"), ("other_trust_admin", "IN422"), ("someone_service", "IN422"), ("daemon", "IN409"),
    ])
    func staffAddRefusesReservedGroupAndTakenNames(name: String, state: String) throws {
        let realm = try Self.realm.get()
        let admin = try realm.connect(.admin)
        defer { admin.close() }
        let login = name == "daemon" ? realm.database.daemonLogin : name
        let refused = #expect(throws: PostgresError.self) {
            try admin.query(
                "SELECT inclusion.staff_add($1, 'X', 'staff', $2::integer[], NULL, NULL)",
                [
                    login, PostgresArray(["\(realm.schoolA)"]),
                ]
            )
        }
        #expect(refused?.sqlState == state)
        #expect(refused?.column == "login")
        let exists: Bool = try firstValue(admin, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", [login])
        #expect(exists == (name == "daemon"))
    }

    @Test func roleKindAndSchoolsOfAnswerOnlyAboutTheCaller() throws {
        let realm = try Self.realm.get()
        let staff = try realm.connect(.staff)
        defer { staff.close() }
        let others = try staff.query(
            """
            SELECT inclusion.role_kind($1), inclusion.schools_of($1)::text[], inclusion.role_kind($2),
                   inclusion.schools_of($2)::text[], inclusion.role_kind(current_user),
                   inclusion.schools_of(current_user)::text[]
            """,
            [realm.login(.senco), realm.login(.admin)]
        )[0]
        #expect(try others.decode(String?.self, 0) == nil)
        #expect(try others.decode(PostgresTextArray.self, 1).strings == [])
        #expect(try others.decode(String?.self, 2) == nil)
        #expect(try others.decode(PostgresTextArray.self, 3).strings == [])
        #expect(try others.decode(String?.self, 4) == "staff")
        #expect(try others.decode(PostgresTextArray.self, 5).strings == ["\(realm.schoolA)"])
    }

    // MARK: Locks

    @Test func advisoryLocksHeldByALoginFreezeNoWrites() throws {
        let realm = try Self.realm.get()
        let squatter = try realm.connect(.readonly)
        defer { squatter.close() }
        // Every advisory key the project has used: the audit chain, the calendar, imports.
        try squatter.query("SELECT pg_advisory_lock(7263512)")
        try squatter.query("SELECT pg_advisory_lock(7263513, $1)", [realm.schoolA])
        try squatter.query("SELECT pg_advisory_lock(hashtext('inclusion.pupil_import'), $1)", [realm.schoolA])
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        try senco.query("SET lock_timeout = '5s'")
        let started = ContinuousClock.now
        _ = try realm.addPupil(senco, school: realm.schoolA, serial: 50)
        try senco.query(
            """
            INSERT INTO inclusion.term (school_id, name, first_day, last_day)
            VALUES ($1, 'Lock test', '2024-01-08', '2024-03-28')
            """,
            [realm.schoolA]
        )
        _ = try senco.transaction { connection in
            try connection.query("SELECT inclusion.lock_school($1, 'import')", [realm.schoolA])
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        try squatter.query("SELECT pg_advisory_unlock_all()")
    }

    @Test func aLoginHoldingTheMigrationLockIsNamedNotWaitedForForever() throws {
        let realm = try Self.realm.get()
        let squatter = try realm.connect(.staff)
        defer { squatter.close() }
        try squatter.query("SELECT pg_advisory_lock(7263511)")
        defer { _ = try? squatter.query("SELECT pg_advisory_unlock_all()") }
        let owner = try realm.database.connect(as: realm.database.owner)
        defer { owner.close() }
        let started = ContinuousClock.now
        let refused = #expect(throws: StoreError.self) {
            try Migrator(connection: owner, lockWait: .seconds(1)).migrate(
                rolePrefix: realm.database.name,
                daemonLogin: realm.database.daemonLogin
            )
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(refused?.kind == .unavailable)
        #expect(refused?.message.contains(realm.login(.staff)) == true)
    }

    @Test func schoolLocksAreForThoseWhoWriteTheSchool() throws {
        let realm = try Self.realm.get()
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let other = #expect(throws: PostgresError.self) {
            try senco.query("SELECT inclusion.lock_school($1, 'import')", [realm.schoolB])
        }
        #expect(other?.sqlState == "IN403")
        let staff = try realm.connect(.staff)
        defer { staff.close() }
        let notGranted = #expect(throws: PostgresError.self) {
            try staff.query("SELECT inclusion.lock_school($1, 'import')", [realm.schoolA])
        }
        #expect(notGranted?.sqlState == "42501")
    }

    @Test func largeObjectsAreClosedOnceASuperuserHardensTheDatabase() throws {
        let realm = try Self.realm.get()
        let governor = try realm.connect(.readonly)
        defer { governor.close() }
        // PostgreSQL's default: any login may create large objects, storage no row policy governs.
        let object: Int64 = try firstValue(governor, "SELECT lo_create(0)::bigint")
        try governor.query("SELECT lo_unlink($1::oid)", [object])

        let owner = try realm.database.connect(as: realm.database.owner)
        defer { owner.close() }
        let notSuperuser = #expect(throws: StoreError.self) { try Migrator(connection: owner).harden() }
        #expect(notSuperuser?.kind == .permissionDenied)
        #expect(try Migrator(connection: owner).isHardened() == false)

        let superuser = try Connection(conninfo: realm.database.superuserConninfo, logger: quiet)
        defer { superuser.close() }
        #expect(try Migrator(connection: superuser).harden().count == 5)
        #expect(try Migrator(connection: owner).isHardened())
        for login in Login.allCases {
            let connection = try realm.connect(login)
            defer { connection.close() }
            let refused = #expect(throws: PostgresError.self) { try connection.query("SELECT lo_create(0)") }
            #expect(refused?.sqlState == "42501", "\(login)")
        }
    }

    // MARK: The audit trail

    @Test func auditAccessTakesOnlyItsFixedWordsAndOwnSchools() throws {
        let realm = try Self.realm.get()
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let long = #expect(throws: PostgresError.self) {
            try senco.query(
                "SELECT inclusion.audit_access($1, $2)",
                [realm.pupilA, String(repeating: "x", count: 100_000)]
            )
        }
        #expect(long?.sqlState == "IN422")
        try senco.query("SELECT inclusion.audit_access($1, 'pupil show')", [realm.pupilA])
        let other = #expect(throws: PostgresError.self) {
            try senco.query("SELECT inclusion.audit_access($1, 'pupil show')", [realm.pupilB])
        }
        #expect(other?.sqlState == "IN403")
        let governor = try realm.connect(.readonly)
        defer { governor.close() }
        let readonly = #expect(throws: PostgresError.self) {
            try governor.query("SELECT inclusion.audit_access($1, 'pupil show')", [realm.pupilA])
        }
        #expect(readonly?.sqlState == "42501")
    }

    // MARK: Authorship and dates

    @Test func authorshipAndCreationTimesAreSetByTheDatabase() throws {
        let realm = try Self.realm.get()
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let forgedCase = try senco.query(
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_by)
            VALUES ($1, $2, 'concern', 'Forged author', 'someone_else') RETURNING id, opened_by::text
            """,
            [realm.schoolA, realm.pupilA]
        )[0]
        #expect(try forgedCase.decode(String.self, 1) == realm.login(.senco))
        let caseID = try forgedCase.decode(Int.self, 0)
        let note = try senco.query(
            """
            INSERT INTO inclusion.case_note (school_id, case_id, kind, body, author, created_at)
            VALUES ($1, $2, 'note', 'Forged', 'someone_else', '2001-01-01')
            RETURNING author::text, created_at > now() - interval '1 minute'
            """,
            [realm.schoolA, caseID]
        )[0]
        #expect(try note.decode(String.self, 0) == realm.login(.senco))
        #expect(try note.decode(Bool.self, 1))
        try senco.query("UPDATE inclusion.pupil_case SET opened_by = 'someone_else' WHERE id = $1", [caseID])
        let author: String = try firstValue(
            senco,
            "SELECT opened_by::text FROM inclusion.pupil_case WHERE id = $1",
            [caseID]
        )
        #expect(author == realm.login(.senco))

        let staff = try realm.connect(.staff)
        defer { staff.close() }
        let session = try staff.query(
            """
            INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered, logged_by)
            VALUES ($1, $2, '2025-10-06', true, 'someone_else') RETURNING logged_by::text
            """,
            [realm.schoolA, realm.interventionA]
        )[0]
        #expect(try session.decode(String.self, 0) == realm.login(.staff))
    }

    @Test(arguments: ["9999-12-31", "tomorrow"])
    func notesAndSessionsDatedInTheFutureAreRefused(date: String) throws {
        let realm = try Self.realm.get()
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let day: SQL = date == "tomorrow" ? "(current_date + 2)" : "$3::date"
        let parameters: [any PostgresBindable] = date == "tomorrow" ? [] : [date]
        let note = #expect(throws: PostgresError.self) {
            try senco.query(
                """
                INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on)
                VALUES ($1, $2, 'note', 'Later', \(day))
                """,
                [realm.schoolA, realm.openCaseA] + parameters
            )
        }
        #expect(note?.sqlState == "IN422")
        #expect(note?.column == "on")
        let session = #expect(throws: PostgresError.self) {
            try senco.query(
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
                VALUES ($1, $2, \(day), true)
                """,
                [realm.schoolA, realm.interventionA] + parameters
            )
        }
        #expect(session?.sqlState == "IN422")
    }

    @Test(arguments: ["0001-01-01", "9999-12-31"])
    func aPlanWithADateOutOfRangeIsRefusedAndNothingIsWritten(date: String) throws {
        let realm = try Self.realm.get()
        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let before: Int = try firstValue(senco, "SELECT count(*)::integer FROM inclusion.support_plan")
        let refused = #expect(throws: PostgresError.self) {
            try senco.query(
                """
                INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, status, starts, review_cycle,
                    next_review_due, issued_on)
                VALUES ($1, $2, 'ehcp', 'draft', $3::date, '12m', $3::date + 365, NULL)
                """,
                [realm.schoolA, realm.pupilA, date]
            )
        }
        #expect(refused?.sqlState == "23514")
        #expect(refused?.constraint?.hasPrefix("sane_date__starts__") == true)
        #expect(StoreError(try #require(refused)).field == "starts")
        let after: Int = try firstValue(senco, "SELECT count(*)::integer FROM inclusion.support_plan")
        #expect(after == before)
    }

    // MARK: Confidential notes

    @Test func staffRecordConfidentialNotesTheyCannotReadBackOrInfer() throws {
        let realm = try Self.realm.get()
        let staff = try realm.connect(.staff)
        defer { staff.close() }
        let today = try Day(iso: try firstValue(staff, "SELECT current_date::text"))
        let lastNoteBefore: String? = try firstValue(
            staff,
            "SELECT last_note_on::text FROM inclusion.pupil_case WHERE id = $1",
            [realm.openCaseA]
        )
        let id = try CaseStore(connection: staff).addNote(
            case: Int64(realm.openCaseA),
            kind: .note,
            text: "A disclosure",
            on: today,
            confidential: true,
            today: today
        )
        #expect(id > 0)
        let seenByStaff: Int = try firstValue(
            staff,
            "SELECT count(*)::integer FROM inclusion.case_note WHERE id = $1",
            [id]
        )
        #expect(seenByStaff == 0)
        let lastNoteAfter: String? = try firstValue(
            staff,
            "SELECT last_note_on::text FROM inclusion.pupil_case WHERE id = $1",
            [realm.openCaseA]
        )
        #expect(lastNoteAfter == lastNoteBefore)
        let activity = #expect(throws: PostgresError.self) {
            try staff.query("SELECT * FROM inclusion.case_confidential_activity")
        }
        #expect(activity?.sqlState == "42501")

        let senco = try realm.connect(.senco)
        defer { senco.close() }
        let seenBySENCO: Int = try firstValue(
            senco,
            "SELECT count(*)::integer FROM inclusion.case_note WHERE id = $1",
            [id]
        )
        #expect(seenBySENCO == 1)
        let confidentialOn: String = try firstValue(
            senco,
            "SELECT last_note_on::text FROM inclusion.case_confidential_activity WHERE case_id = $1",
            [realm.openCaseA]
        )
        #expect(confidentialOn == today.description)
    }
}

/// A trust of two schools and a login of every kind; school B holds rows the logins of school A must not reach.
struct Realm: Sendable {
    let database: TestDatabase
    let schoolA: Int
    let schoolB: Int
    let pupilA: Int
    let pupilB: Int
    let openCaseA: Int
    let closedCaseB: Int
    let interventionA: Int
    let interventionB: Int

    init(database: TestDatabase) throws {
        self.database = database
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        var schools: [Int] = []
        for urn in [600_001, 600_002] {
            schools.append(
                try firstValue(
                    owner,
                    "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, 'Security School', 801) RETURNING id",
                    [urn]
                )
            )
        }
        (schoolA, schoolB) = (schools[0], schools[1])
        let add: SQL = "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], NULL, NULL)"
        try owner.query(add, [database.login("boss"), "Admin", "admin", String?.none])
        for (login, kind, school) in [
            ("senco_a", "senco", schoolA), ("staff_a", "staff", schoolA), ("governor", "readonly", schoolA),
            ("senco_b", "senco", schoolB),
        ] {
            try owner.query(add, [database.login(login), login, kind, PostgresArray(["\(school)"])])
        }
        pupilA = try Self.addPupil(owner, school: schoolA, serial: 1)
        pupilB = try Self.addPupil(owner, school: schoolB, serial: 2)
        openCaseA = try firstValue(
            owner,
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
            VALUES ($1, $2, 'concern', 'Open', '2025-09-10') RETURNING id
            """,
            [schoolA, pupilA]
        )
        closedCaseB = try firstValue(
            owner,
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, state, closed_on, outcome)
            VALUES ($1, $2, 'concern', 'Closed', 'closed', '2025-10-01', 'Resolved') RETURNING id
            """,
            [schoolB, pupilB]
        )
        let intervention: SQL = """
            INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes)
            VALUES ($1, 'Group', 'semh', '2025-09-01', '2025-12-19', 1, 30) RETURNING id
            """
        interventionA = try firstValue(owner, intervention, [schoolA])
        interventionB = try firstValue(owner, intervention, [schoolB])
        try owner.query(
            """
            INSERT INTO inclusion.term (school_id, name, first_day, last_day)
            VALUES ($1, 'Autumn', '2025-09-01', '2025-12-19')
            """,
            [schoolB]
        )
    }

    func login(_ kind: SecurityBoundaryTests.Login) -> String {
        kind == .service ? database.daemonLogin : database.login(kind.rawValue)
    }

    func connect(_ kind: SecurityBoundaryTests.Login) throws -> Connection {
        try database.connect(as: login(kind))
    }

    /// Every trigger function of the schema: its regprocedure and whether it runs as the owner.
    /// The trigger functions, named as `regprocedure` prints them: schema-qualified, quoted by PostgreSQL itself.
    func triggerFunctions() throws -> [(name: SQL, definer: Bool)] {
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        return try owner.query(
            """
            SELECT p.oid::regprocedure::text, p.prosecdef FROM pg_proc p
            WHERE p.pronamespace = 'inclusion'::regnamespace AND p.prorettype = 'trigger'::regtype ORDER BY 1
            """
        ).map { (SQL(trusted: try $0.decode(String.self, 0)), try $0.decode(Bool.self, 1)) }
    }

    static func addPupil(_ connection: Connection, school: Int, serial: Int) throws -> Int {
        try firstValue(
            connection,
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year, sen_status) VALUES ($1, $2, 'Sam', 'Secure', '2015-02-03', '5', 2025, 'K')
            RETURNING id
            """,
            [school, validUPN(String(format: "7011006%05d", serial))]
        )
    }

    func addPupil(_ connection: Connection, school: Int, serial: Int) throws -> Int {
        try Self.addPupil(connection, school: school, serial: serial)
    }
}

extension PostgresTextArray {
    /// The elements, NULLs left out.
    fileprivate var strings: [String] { elements.compactMap { $0 } }
}

private let quiet: Logger = {
    var logger = Logger(label: "inclusion.tests.security")
    logger.logLevel = .warning
    return logger
}()
