import InclusionTestSupport
import Logging
import Postgres
import Testing

/// DESIGN §3's security table, checked against PostgreSQL itself: every pupil-data table × every group × every
/// kind of statement × the login's own school and another school.
///
/// Every matrix case runs in a transaction that is rolled back, so the cases are independent and run in parallel
/// against one seeded world.
@Suite("Isolation matrix")
struct IsolationMatrixTests {
    static let database = Result { try TestDatabase.create(suite: "isolation") }
    static let world = Result { try IsolationWorld(database: try IsolationMatrixTests.database.get()) }

    // MARK: The matrix

    @Test(arguments: MatrixCase.all)
    func theMatrixMatchesTheDesign(_ matrixCase: MatrixCase) throws {
        let world = try Self.world.get()
        let school = world.schools[matrixCase.scope == .own ? 0 : 1]
        let statement = matrixCase.table.statement(matrixCase.operation, in: school, world: world)
        let outcome = world.run(statement, as: world.login(matrixCase.role))
        let expected = matrixCase.expected

        switch expected {
        case .denied:
            #expect(outcome.error?.code == .insufficientPrivilege, "\(outcome)")
            #expect(outcome.error?.sqlState == "42501")
        case .refusedByPolicy:
            #expect(outcome.error?.code == .rowLevelSecurity, "\(outcome)")
            #expect(outcome.error?.sqlState == "42501")
        case .changes(let rows):
            #expect(outcome.value == rows, "\(outcome)")
        case .sees(let visible):
            let everything = try world.ownerCount(statement)
            let expectedRows: Int
            switch visible {
            case .all: expectedRows = everything
            case .nothing: expectedRows = 0
            case .nonConfidential:
                expectedRows = try world.ownerCount(statement, extra: "AND NOT confidential")
                #expect(expectedRows < everything, "the seed has a confidential note to hide")
            }
            #expect(everything > 0, "the seed has rows in this school, so the count can tell")
            #expect(outcome.value == expectedRows, "\(outcome)")
        }

        // The paired control: the same statement is valid and does something when the schema's owner runs it, so
        // a denial or an empty result above is the role's doing, not a broken statement. (Nobody may delete a
        // school, and the owner could not either while the school has rows.)
        let refusedOrEmpty: Bool
        switch expected {
        case .denied, .refusedByPolicy, .changes(0), .sees(.nothing): refusedOrEmpty = true
        default: refusedOrEmpty = false
        }
        if refusedOrEmpty && !(matrixCase.table == .school && matrixCase.operation == .delete) {
            let control = world.run(statement, as: world.database.owner)
            #expect(control.error == nil, "control: \(control)")
            #expect((control.value ?? 0) > 0, "control: \(control)")
        }
    }

    // MARK: Logins outside the matrix

    @Test(arguments: Table.allCases)
    func aLoginInTheSENCOGroupWithNoSchoolSeesNothing(_ table: Table) throws {
        let world = try Self.world.get()
        let sql: SQL = "SELECT count(*) FROM \(table.name)"
        let everything = world.run((sql, []), as: world.database.owner)
        let seen = world.run((sql, []), as: world.unmapped)
        #expect((everything.value ?? 0) > 0)
        #expect(seen.value == 0, "\(seen)")
    }

    @Test func aLoginWithNoSchoolCannotAddAPupil() throws {
        let world = try Self.world.get()
        let statement = Table.pupil.statement(.insert, in: world.schools[0], world: world)
        let outcome = world.run(statement, as: world.unmapped)
        #expect(outcome.error?.code == .rowLevelSecurity, "\(outcome)")
    }

    @Test(arguments: Table.allCases)
    func theDaemonReadsEverySchool(_ table: Table) throws {
        let world = try Self.world.get()
        let sql: SQL = "SELECT count(DISTINCT \(table.scopeColumn)) FROM \(table.name)"
        let schools = world.run((sql, []), as: world.database.daemonLogin)
        #expect(schools.value == 3, "\(schools)")
    }

    @Test(arguments: [Operation.insert, .update, .delete])
    func theDaemonCannotWritePupils(_ operation: Operation) throws {
        let world = try Self.world.get()
        let statement = Table.pupil.statement(operation, in: world.schools[0], world: world)
        let outcome = world.run(statement, as: world.database.daemonLogin)
        #expect(outcome.error?.code == .insufficientPrivilege, "\(outcome)")
        let control = world.run(statement, as: world.login(.admin))
        #expect(control.value == 1, "control: \(control)")
    }

    @Test func aGovernorsSummaryCoversOnlyTheirSchool() throws {
        let world = try Self.world.get()
        let rows = try world.summary(as: world.login(.readonly))
        #expect(rows == [[100_001, 3, 2, 0, 2, 1, 2]])
    }

    @Test func summariesFollowTheCallersSchools() throws {
        let world = try Self.world.get()
        #expect(try world.summary(as: world.login(.admin)).map(\.[0]) == [100_001, 100_002, 100_003])
        #expect(try world.summary(as: world.database.login("senco_b")).map(\.[0]) == [100_002])
        let staff = world.run(("SELECT count(*) FROM inclusion.school_summary()", []), as: world.login(.staff))
        #expect(staff.error?.code == .insufficientPrivilege, "\(staff)")
    }

    // MARK: Rules that hold for everyone

    @Test(arguments: [
        "UPDATE inclusion.case_note SET body = 'rewritten' WHERE id = $1",
        "DELETE FROM inclusion.case_note WHERE id = $1",
    ])
    func caseNotesAreNeverOverwrittenEvenByAnAdmin(_ sql: SQL) throws {
        let world = try Self.world.get()
        let note = try #require(world.schools[0].rows["note"])
        let outcome = world.run((sql, [note]), as: world.login(.admin))
        #expect(outcome.error?.code == .insufficientPrivilege, "\(outcome)")
    }

    @Test(arguments: [Role.admin, .senco])
    func aPupilsSchoolCannotBeChangedByAPlainUpdate(_ role: Role) throws {
        let world = try Self.world.get()
        let pupil = try #require(world.schools[0].rows["pupil"])
        let outcome = world.run(
            ("UPDATE inclusion.pupil SET school_id = $1 WHERE id = $2", [world.schools[1].id, pupil]),
            as: world.login(role)
        )
        #expect(outcome.error?.sqlState == "IN409", "\(outcome)")
        let control = world.run(
            ("UPDATE inclusion.pupil SET family_name = family_name WHERE id = $1", [pupil]),
            as: world.login(role)
        )
        #expect(control.value == 1, "control: \(control)")
    }

    // MARK: Staff logins

    @Test func aSENCOCannotAddStaff() throws {
        let world = try Self.world.get()
        let outcome = world.run(
            (
                "SELECT inclusion.staff_add($1, 'Nobody', 'staff', ARRAY[$2::integer], NULL, NULL)",
                [world.database.login("by_senco"), world.schools[0].id]
            ),
            as: world.login(.senco)
        )
        // EXECUTE on staff_add is granted to admins only, so PostgreSQL refuses the call before the function's own
        // IN403 check runs (the next test reaches that check).
        #expect(outcome.error?.code == .insufficientPrivilege, "\(outcome)")
        #expect(outcome.error?.sqlState == "42501")
        #expect(try world.roleExists(world.database.login("by_senco")) == false)
    }

    @Test func staffAddRefusesANonAdminEvenWhenExecuteIsGranted() throws {
        let world = try Self.world.get()
        let granted = world.database.login("senco_granted")
        let outcome = world.run(
            (
                "SELECT inclusion.staff_add($1, 'Nobody', 'staff', ARRAY[$2::integer], NULL, NULL)",
                [world.database.login("by_granted"), world.schools[0].id]
            ),
            as: granted
        )
        #expect(outcome.error?.sqlState == "IN403", "\(outcome)")
        #expect(outcome.error?.code == .application)
        #expect(try world.roleExists(world.database.login("by_granted")) == false)
    }

    @Test func anAdminWithoutCreateroleAddsALoginThatCanDoNoMore() throws {
        let world = try Self.world.get()
        let admin = try world.database.connect(as: world.login(.admin))
        #expect(try Self.value(admin, "SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user") == false)
        let login = world.database.login("newcomer")
        let verifier = try admin.encryptPassword("a long passphrase", user: login)
        let added: Int = try Self.value(
            admin,
            "SELECT inclusion.staff_add($1, 'New Teacher', 'staff', ARRAY[$2::integer], 'new@school.example', $3)",
            [login, world.schools[0].id, verifier]
        )
        #expect(added > 0)

        let superuser = try world.superuser()
        let role = try #require(
            try superuser.query(
                """
                SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, rolcanlogin,
                       starts_with(rolpassword, 'SCRAM-SHA-256$'),
                       ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                             WHERE m.member = a.oid)
                FROM pg_authid a WHERE rolname = $1
                """,
                [login]
            ).first
        )
        #expect(role.texts[0..<7].map { $0 } == ["f", "f", "f", "f", "f", "t", "t"])
        #expect(try role.decode(PostgresTextArray.self, 7).elements == [world.database.group("staff")])
        #expect(
            try Self.value(
                superuser,
                """
                SELECT array_agg(m.school_id ORDER BY m.school_id)::text FROM inclusion.staff s
                JOIN inclusion.staff_school m ON m.staff_id = s.id WHERE s.login = $1
                """,
                [login]
            ) == "{\(world.schools[0].id)}"
        )
        // The new login works, within its school.
        let newcomer = try world.database.connect(as: login)
        #expect(try Self.value(newcomer, "SELECT count(DISTINCT school_id)::int FROM inclusion.pupil") == 1)
    }

    @Test(arguments: [
        ("t_isolation_odd", "superuser", "role"),
        ("Robert'); DROP TABLE inclusion.pupil;--", "staff", "login"),
        ("t_isolation_nowhere", "senco", "school"),
    ])
    func staffAddRefusesBadInput(login: String, kind: String, field: String) throws {
        let world = try Self.world.get()
        let schools: [String?] = kind == "senco" ? [] : ["\(world.schools[0].id)"]
        let outcome = world.run(
            (
                "SELECT inclusion.staff_add($1, 'Someone', $2, $3::integer[], NULL, NULL)",
                [login, kind, PostgresArray(schools)]
            ),
            as: world.login(.admin)
        )
        #expect(outcome.error?.sqlState == "IN422", "\(outcome)")
        #expect(outcome.error?.column == field)
        #expect(try world.roleExists(login) == false)
        #expect(try world.tableExists("inclusion.pupil"))
    }

    @Test func disablingALoginEndsItsAccessAtOnce() throws {
        let world = try Self.world.get()
        let leaver = world.database.login("leaver")
        let admin = try world.database.connect(as: world.login(.admin))
        try admin.query(
            "SELECT inclusion.staff_add($1, 'Leaving Teacher', 'staff', ARRAY[$2::integer], NULL, NULL)",
            [leaver, world.schools[0].id]
        )
        let connectedBefore = try world.database.connect(as: leaver)
        #expect(try Self.value(connectedBefore, "SELECT count(*)::int FROM inclusion.pupil") == 3)

        try admin.query("SELECT inclusion.staff_disable($1)", [leaver])

        let superuser = try world.superuser()
        let role = try #require(
            try superuser.query(
                """
                SELECT rolcanlogin, rolpassword IS NULL,
                       (SELECT count(*) FROM pg_auth_members m WHERE m.member = a.oid),
                       (SELECT count(*) FROM inclusion.staff_school m JOIN inclusion.staff s ON s.id = m.staff_id
                        WHERE s.login = $1),
                       (SELECT disabled_at IS NOT NULL FROM inclusion.staff WHERE login = $1)
                FROM pg_authid a WHERE rolname = $1
                """,
                [leaver]
            ).first
        )
        #expect(role.texts == ["f", "t", "0", "0", "t"])
        // The session opened before the disable has lost its group's grants.
        let afterwards = #expect(throws: PostgresError.self) {
            try connectedBefore.query("SELECT count(*) FROM inclusion.pupil")
        }
        #expect(afterwards?.code == .insufficientPrivilege)
        let reconnect = #expect(throws: PostgresError.self) { try world.database.connect(as: leaver) }
        #expect(reconnect?.code == .connectionFailed)
    }

    @Test func anAdminCannotDisableTheirOwnLogin() throws {
        let world = try Self.world.get()
        let outcome = world.run(("SELECT inclusion.staff_disable(current_user)", []), as: world.login(.admin))
        #expect(outcome.error?.sqlState == "IN409", "\(outcome)")
    }

    static func value<T: PostgresDecodable>(
        _ connection: Connection,
        _ sql: SQL,
        _ parameters: [any PostgresBindable] = []
    ) throws -> T {
        try #require(try connection.query(sql, parameters).first).decode(T.self, 0)
    }
}

extension IsolationMatrixTests {
    // MARK: - The matrix as data

    enum Role: String, CaseIterable, Sendable {
        case admin, senco, staff, readonly
    }

    enum Operation: String, CaseIterable, Sendable {
        case select = "SELECT"
        case insert = "INSERT"
        case update = "UPDATE"
        case delete = "DELETE"
    }

    enum Scope: String, CaseIterable, Sendable {
        case own, other
    }

    /// The pupil-data tables and, for each, the statements the matrix runs.
    enum Table: String, CaseIterable, Sendable {
        case school, pupil, term, closure
        case pupilNeed = "pupil_need"
        case pupilCase = "pupil_case"
        case caseNote = "case_note"
        case supportPlan = "support_plan"
        case planOutcome = "plan_outcome"
        case intervention
        case interventionPupil = "intervention_pupil"
        case interventionSession = "intervention_session"
        case sessionAbsence = "session_absence"
        case review

        /// What each group may do here, from DESIGN §3 (readonly logins: nothing row-level, anywhere). Admins may not
        /// delete schools, and nobody may UPDATE or DELETE a case note ("notes are never silently overwritten").
        var permitted: [Role: Set<Operation>] {
            let everything: Set<Operation> = [.select, .insert, .update, .delete]
            switch self {
            case .school: return [.admin: [.select, .insert, .update], .senco: [.select], .staff: [.select]]
            case .caseNote:
                return [.admin: [.select, .insert], .senco: [.select, .insert], .staff: [.select, .insert]]
            case .interventionSession, .sessionAbsence:
                return [.admin: everything, .senco: everything, .staff: [.select, .insert]]
            default: return [.admin: everything, .senco: everything, .staff: [.select]]
            }
        }

        /// The table, schema-qualified.
        var name: SQL { "inclusion.\(SQL.identifier(rawValue))" }

        var scopeColumn: SQL { self == .school ? "id" : "school_id" }

        /// The seeded row an UPDATE or DELETE targets: one nothing else depends on, so a DELETE is not stopped by a
        /// foreign key.
        var target: String {
            switch self {
            case .school: return "school"
            case .pupil: return "spare_pupil"
            case .pupilNeed: return "need"
            case .pupilCase: return "spare_case"
            case .caseNote: return "note"
            case .supportPlan: return "spare_plan"
            case .planOutcome: return "outcome"
            case .intervention: return "spare_intervention"
            case .interventionPupil: return "membership"
            case .interventionSession: return "session"
            case .sessionAbsence: return "absence"
            case .review: return "review"
            case .term: return "term"
            case .closure: return "closure"
            }
        }

        /// A column an UPDATE sets to itself.
        var column: SQL {
            switch self {
            case .school, .intervention, .term: return "name"
            case .pupil: return "given_name"
            case .pupilNeed: return "rank"
            case .pupilCase: return "summary"
            case .caseNote, .planOutcome: return "body"
            case .supportPlan: return "review_cycle"
            case .interventionPupil: return "exit_score"
            case .interventionSession: return "missed_reason"
            case .sessionAbsence: return "pupil_id"
            case .review: return "notes"
            case .closure: return "reason"
            }
        }

        func statement(_ operation: Operation, in school: SchoolSeed, world: IsolationWorld) -> Statement {
            let table = name
            switch operation {
            case .select:
                return ("SELECT count(*) FROM \(table) WHERE \(scopeColumn) = $1", [school.id])
            case .update:
                return ("UPDATE \(table) SET \(column) = \(column) WHERE id = $1", [school.rows[target] ?? -1])
            case .delete:
                return ("DELETE FROM \(table) WHERE id = $1", [school.rows[target] ?? -1])
            case .insert:
                return insert(into: school)
            }
        }

        private func insert(into school: SchoolSeed) -> Statement {
            let s = school.id
            let row = { (name: String) in school.rows[name] ?? -1 }
            switch self {
            case .school:
                return (
                    "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, 'Matrix Academy', 800)",
                    [100_100 + s]
                )
            case .pupil:
                return (
                    """
                    INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                        academic_year) VALUES ($1, $2, 'Matrix', 'Pupil', '2016-03-04', '4', 2025)
                    """,
                    [s, UniquePupilNumber.make("80\(s)100099999")]
                )
            case .pupilNeed:
                return (
                    """
                    INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank)
                    VALUES ($1, $2, 'MLD', 'secondary')
                    """,
                    [s, row("pupil")]
                )
            case .pupilCase:
                return (
                    """
                    INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary)
                    VALUES ($1, $2, 'concern', 'Matrix case')
                    """,
                    [s, row("pupil")]
                )
            case .caseNote:
                return (
                    """
                    INSERT INTO inclusion.case_note (school_id, case_id, kind, body)
                    VALUES ($1, $2, 'note', 'Matrix note')
                    """,
                    [s, row("case")]
                )
            case .supportPlan:
                return (
                    """
                    INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, status, starts, review_cycle)
                    VALUES ($1, $2, 'ehcp', 'draft', '2025-09-01', '12m')
                    """,
                    [s, row("pupil")]
                )
            case .planOutcome:
                return (
                    """
                    INSERT INTO inclusion.plan_outcome (school_id, plan_id, area, body)
                    VALUES ($1, $2, 'semh', 'Matrix outcome')
                    """,
                    [s, row("plan")]
                )
            case .intervention:
                return (
                    """
                    INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes)
                    VALUES ($1, 'Matrix group', 'semh', '2025-09-01', '2025-12-19', 1, 20)
                    """,
                    [s]
                )
            case .interventionPupil:
                return (
                    """
                    INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id) VALUES ($1, $2, $3)
                    """,
                    [s, row("spare_intervention"), row("pupil")]
                )
            case .interventionSession:
                return (
                    """
                    INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered)
                    VALUES ($1, $2, '2025-09-11', true)
                    """,
                    [s, row("intervention")]
                )
            case .sessionAbsence:
                return (
                    """
                    INSERT INTO inclusion.session_absence (school_id, session_id, intervention_id, pupil_id)
                    VALUES ($1, $2, $3, $4)
                    """,
                    [s, row("session"), row("intervention"), row("pupil")]
                )
            case .review:
                return (
                    """
                    INSERT INTO inclusion.review (school_id, intervention_id, held_on, outcome)
                    VALUES ($1, $2, '2025-11-01', 'continue')
                    """,
                    [s, row("intervention")]
                )
            case .term:
                return (
                    """
                    INSERT INTO inclusion.term (school_id, name, first_day, last_day)
                    VALUES ($1, 'Spring 2026', '2026-01-05', '2026-03-27')
                    """,
                    [s]
                )
            case .closure:
                return (
                    """
                    INSERT INTO inclusion.closure (school_id, first_day, last_day, reason)
                    VALUES ($1, '2025-11-03', '2025-11-03', 'INSET day')
                    """,
                    [s]
                )
            }
        }
    }

    typealias Statement = (sql: SQL, parameters: [any PostgresBindable])

    /// One cell of the matrix and what DESIGN §3 says should happen.
    struct MatrixCase: Sendable, CustomTestStringConvertible {
        let table: Table
        let role: Role
        let operation: Operation
        let scope: Scope

        enum Visible: Sendable, Equatable { case all, nonConfidential, nothing }

        enum Outcome: Sendable, Equatable {
            case sees(Visible)
            case changes(Int)
            case denied
            case refusedByPolicy
        }

        static let all: [MatrixCase] = Table.allCases.flatMap { table in
            Role.allCases.flatMap { role in
                Operation.allCases.flatMap { operation in
                    Scope.allCases.map { MatrixCase(table: table, role: role, operation: operation, scope: $0) }
                }
            }
        }

        var expected: Outcome {
            guard let allowed = table.permitted[role], allowed.contains(operation) else { return .denied }
            // Admins reach every school; everyone else only the schools mapped to them.
            let reaches = role == .admin || scope == .own
            switch operation {
            case .select:
                guard reaches else { return .sees(.nothing) }
                return .sees(role == .staff && table == .caseNote ? .nonConfidential : .all)
            case .insert:
                return reaches ? .changes(1) : .refusedByPolicy
            case .update, .delete:
                return .changes(reaches ? 1 : 0)
            }
        }

        var testDescription: String {
            let school = scope == .own ? "own" : "another"
            return "\(role) \(operation.rawValue) \(table.rawValue) in \(school) school → \(expected)"
        }
    }

    // MARK: - The seeded world

    /// The ids of one school's seeded rows, by name.
    struct SchoolSeed: Sendable {
        let id: Int
        let urn: Int
        var rows: [String: Int]
    }

    /// What a statement did: the count it selected or the rows it changed, or the error it raised.
    struct Attempt: CustomStringConvertible {
        var value: Int?
        var error: PostgresError?
        var description: String { error.map { $0.debugDescription } ?? "value \(value.map(String.init) ?? "none")" }
    }

    /// Three schools, their staff and a full set of pupil records in each, seeded through the admin's own login.
    struct IsolationWorld: Sendable {
        let database: TestDatabase
        let schools: [SchoolSeed]
        var unmapped: String { database.login("unmapped") }

        static let logger: Logger = {
            var logger = Logger(label: "inclusion.tests.isolation")
            logger.logLevel = .warning
            return logger
        }()

        func login(_ role: Role) -> String {
            switch role {
            case .admin: return database.login("boss")
            case .senco: return database.login("senco_a")
            case .staff: return database.login("staff_a")
            case .readonly: return database.login("governor_a")
            }
        }

        func superuser() throws -> Connection {
            try Connection(conninfo: database.superuserConninfo, logger: Self.logger)
        }

        init(database: TestDatabase) throws {
            self.database = database
            let owner = try database.connect(as: database.owner)
            defer { owner.close() }
            var ids: [Int] = []
            for (index, letter) in ["a", "b", "c"].enumerated() {
                let id: Int = try IsolationMatrixTests.value(
                    owner,
                    "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, $2, 800) RETURNING id",
                    [100_001 + index, "School \(letter.uppercased())"]
                )
                ids.append(id)
            }
            let add: SQL = "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], NULL, NULL)"
            try owner.query(add, [database.login("boss"), "Trust Admin", "admin", String?.none])
            for (index, letter) in ["a", "b", "c"].enumerated() {
                let school = PostgresArray(["\(ids[index])"])
                try owner.query(add, [database.login("senco_\(letter)"), "SENCO \(letter)", "senco", school])
                try owner.query(add, [database.login("staff_\(letter)"), "Teacher \(letter)", "staff", school])
            }
            try owner.query(add, [database.login("governor_a"), "Governor", "readonly", PostgresArray(["\(ids[0])"])])
            try owner.query(add, [database.login("senco_granted"), "SENCO", "senco", PostgresArray(["\(ids[0])"])])
            try owner.query(
                """
                GRANT EXECUTE ON FUNCTION inclusion.staff_add(name, text, text, integer[], text, text)
                TO \(try owner.quoteIdentifier(database.login("senco_granted")))
                """
            )

            // A login in the SENCO group with no staff row and so no school.
            let superuser = try Connection(conninfo: database.superuserConninfo, logger: Self.logger)
            defer { superuser.close() }
            try superuser.query(
                """
                CREATE ROLE \(try superuser.quoteIdentifier(database.login("unmapped"))) LOGIN
                IN ROLE \(try superuser.quoteIdentifier(database.group("senco")))
                """
            )

            let admin = try database.connect(as: database.login("boss"))
            defer { admin.close() }
            var schools: [SchoolSeed] = []
            for (index, id) in ids.enumerated() {
                let rows = try admin.transaction { connection in
                    try Self.seed(school: id, number: index + 1, connection)
                }
                schools.append(SchoolSeed(id: id, urn: 100_001 + index, rows: rows))
            }
            self.schools = schools
        }

        /// A pupil with a need, a case with an ordinary and a confidential note, a plan with an outcome and a review,
        /// a group intervention with a session one pupil missed, a term and a closure; plus rows nothing depends on
        /// (a spare pupil, case, plan and intervention) for the matrix's DELETEs.
        private static func seed(school: Int, number: Int, _ connection: Connection) throws -> [String: Int] {
            var rows: [String: Int] = ["school": school]
            func insert(_ name: String, _ sql: SQL, _ parameters: [any PostgresBindable]) throws {
                rows[name] = try IsolationMatrixTests.value(connection, "\(sql) RETURNING id", parameters)
            }
            let pupil: SQL = """
                INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                    academic_year, sen_status) VALUES ($1, $2, $3, 'Seed', '2016-05-06', '4', 2025, $4)
                """
            try insert(
                "term",
                """
                INSERT INTO inclusion.term (school_id, name, first_day, last_day)
                VALUES ($1, 'Autumn 2025', '2025-09-01', '2025-12-19')
                """,
                [school]
            )
            try insert(
                "closure",
                """
                INSERT INTO inclusion.closure (school_id, first_day, last_day, reason)
                VALUES ($1, '2025-10-27', '2025-10-31', 'Half term')
                """,
                [school]
            )
            try insert("pupil", pupil, [school, UniquePupilNumber.make("80\(number)100025001"), "Ada", "K"])
            try insert("pupil2", pupil, [school, UniquePupilNumber.make("80\(number)100025002"), "Ben", "K"])
            try insert("spare_pupil", pupil, [school, UniquePupilNumber.make("80\(number)100025003"), "Cal", "N"])
            try insert(
                "need",
                """
                INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank)
                VALUES ($1, $2, 'SPLD', 'primary')
                """,
                [school, rows["pupil"]]
            )
            let openCase: SQL = """
                INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary)
                VALUES ($1, $2, 'concern', $3)
                """
            try insert("case", openCase, [school, rows["pupil"], "Reading concern"])
            try insert("spare_case", openCase, [school, rows["pupil"], "Attendance concern"])
            let note: SQL = """
                INSERT INTO inclusion.case_note (school_id, case_id, kind, body, confidential)
                VALUES ($1, $2, $3, $4, $5)
                """
            try insert("note", note, [school, rows["case"], "note", "Spoke to the class teacher", false])
            try insert(
                "confidential_note",
                note,
                [school, rows["case"], "parent-contact", "Family circumstances", true]
            )
            let plan: SQL = """
                INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, status, starts, review_cycle,
                    next_review_due) VALUES ($1, $2, 'sen-support', $3, '2025-09-01', 'termly', $4::date)
                """
            try insert("plan", plan, [school, rows["pupil"], "active", "2025-12-19"])
            try insert("spare_plan", plan, [school, rows["pupil"], "draft", String?.none])
            try insert(
                "outcome",
                """
                INSERT INTO inclusion.plan_outcome (school_id, plan_id, area, body)
                VALUES ($1, $2, 'cognition-learning', 'Reads 40 words a minute')
                """,
                [school, rows["plan"]]
            )
            let intervention: SQL = """
                INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes, plan_id)
                VALUES ($1, $2, 'cognition-learning', '2025-09-01', '2025-12-19', 2, 30, $3)
                """
            try insert("intervention", intervention, [school, "Reading catch-up", rows["plan"]])
            try insert("spare_intervention", intervention, [school, "Spelling club", Int?.none])
            let member: SQL = """
                INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id)
                VALUES ($1, $2, $3)
                """
            try insert("membership", member, [school, rows["intervention"], rows["pupil"]])
            try insert("membership2", member, [school, rows["intervention"], rows["pupil2"]])
            try insert(
                "session",
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on,
                delivered) VALUES ($1, $2, '2025-09-10', true)
                """,
                [school, rows["intervention"]]
            )
            try insert(
                "absence",
                """
                INSERT INTO inclusion.session_absence (school_id, session_id, intervention_id,
                pupil_id) VALUES ($1, $2, $3, $4)
                """,
                [school, rows["session"], rows["intervention"], rows["pupil2"]]
            )
            try insert(
                "review",
                """
                INSERT INTO inclusion.review (school_id, plan_id, held_on, outcome)
                VALUES ($1, $2, '2025-10-15', 'continue')
                """,
                [school, rows["plan"]]
            )
            return rows
        }

        /// Runs one statement as `login` in a transaction that is always rolled back.
        func run(_ statement: Statement, as login: String) -> Attempt {
            do {
                let connection = try database.connect(as: login)
                defer { connection.close() }
                try connection.query("BEGIN")
                defer { _ = try? connection.query("ROLLBACK") }
                let result = try connection.query(statement.sql, statement.parameters)
                if statement.sql.text.hasPrefix("SELECT") {
                    return Attempt(value: try result.first?.decode(Int.self, 0))
                }
                return Attempt(value: result.affectedRows)
            } catch let error as PostgresError {
                return Attempt(error: error)
            } catch {
                return Attempt(error: PostgresError(code: .other, serverMessage: "\(error)"))
            }
        }

        /// The count a SELECT statement gives the schema's owner, who sees every row.
        func ownerCount(_ statement: Statement, extra: SQL = "") throws -> Int {
            let outcome = run(("\(statement.sql) \(extra)", statement.parameters), as: database.owner)
            if let error = outcome.error { throw error }
            return try #require(outcome.value)
        }

        /// `school_summary()` as `login`: each row's numbers, urn first.
        func summary(as login: String) throws -> [[Int]] {
            let connection = try database.connect(as: login)
            return try connection.query("SELECT * FROM inclusion.school_summary()").map { row in
                try (0..<7).map { try row.decode(Int.self, $0) }
            }
        }

        func roleExists(_ name: String) throws -> Bool {
            try IsolationMatrixTests.value(superuser(), "SELECT count(*) > 0 FROM pg_roles WHERE rolname = $1", [name])
        }

        func tableExists(_ name: String) throws -> Bool {
            try IsolationMatrixTests.value(superuser(), "SELECT to_regclass($1) IS NOT NULL", [name])
        }
    }

    /// Valid UPNs for test pupils: the DfE check letter (characters 2-13 weighted 2-13, mod 23) over the 12 given.
    enum UniquePupilNumber {
        static let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

        static func make(_ body: String) -> String {
            precondition(body.count == 12, "a UPN body is 12 characters")
            var sum = 0
            for (offset, character) in body.enumerated() {
                let value = character.wholeNumberValue ?? alphabet.firstIndex(of: character) ?? 0
                sum += value * (offset + 2)
            }
            return String(alphabet[sum % 23]) + body
        }
    }
}
