import InclusionTestSupport
import Postgres
import Testing

@Suite("Error classification")
struct ErrorClassificationTests {
    static let secret = "SECRET-VALUE-123"

    /// A parent/child pair of tables with every kind of constraint, an RLS-guarded table, and a login with no
    /// grants at all.
    static let schema = Result {
        try WrapperDatabase.scratchSchema("errors") { connection in
            let database = try WrapperDatabase.shared.get()
            try connection.query("CREATE TABLE parent (id integer PRIMARY KEY, code text UNIQUE)")
            try connection.query(
                """
                CREATE TABLE child (
                    id integer PRIMARY KEY,
                    parent_id integer NOT NULL REFERENCES parent (id),
                    qty integer CONSTRAINT qty_positive CHECK (qty > 0),
                    note text
                )
                """
            )
            try connection.query("INSERT INTO parent VALUES (1, $1)", [secret])
            try connection.query("CREATE TABLE guarded (id integer, v integer)")
            try connection.query("ALTER TABLE guarded ENABLE ROW LEVEL SECURITY")
            try connection.query("ALTER TABLE guarded FORCE ROW LEVEL SECURITY")
            try connection.query("CREATE POLICY positive ON guarded USING (true) WITH CHECK (v > 0)")
            let nobody = try connection.quoteIdentifier(database.login("nobody"))
            try connection.query("CREATE ROLE \(nobody) LOGIN")
            try connection.query(
                "GRANT CONNECT ON DATABASE \(try connection.quoteIdentifier(database.name)) TO \(nobody)"
            )
            try connection.query("GRANT USAGE ON SCHEMA errors TO \(nobody)")
        }
    }

    static func connect(as login: String? = nil) throws -> Connection {
        _ = try schema.get()
        let database = try WrapperDatabase.shared.get()
        let connection = try database.connect(as: login ?? database.owner)
        try connection.query("SET search_path = errors")
        return connection
    }

    @Test func aDuplicateKeyIsAUniqueViolationNamingItsConstraint() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.query("INSERT INTO parent VALUES (2, $1)", [Self.secret])
        }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.sqlState == "23505")
        #expect(error?.constraint == "parent_code_key")
        #expect(error?.table == "parent")
    }

    /// Which `catch` clause a failure lands in, matched by ``PostgresError/Code``.
    static func caughtAs(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "nothing"
        } catch PostgresError.Code.foreignKeyViolation {
            return "foreign key"
        } catch PostgresError.Code.uniqueViolation {
            return "unique"
        } catch {
            return "other"
        }
    }

    @Test func aCodeMatchesInCatch() throws {
        let connection = try Self.connect()
        #expect(Self.caughtAs { try connection.query("INSERT INTO parent VALUES (3, $1)", [Self.secret]) } == "unique")
        #expect(
            Self.caughtAs { try connection.query("INSERT INTO child (id, parent_id) VALUES (9, 999)") } == "foreign key"
        )
        #expect(Self.caughtAs { throw CancellationError() } == "other")
    }

    @Test func aMissingParentIsAForeignKeyViolation() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.query("INSERT INTO child (id, parent_id, qty) VALUES (1, 999, 1)")
        }
        #expect(error?.code == .foreignKeyViolation)
        #expect(error?.sqlState == "23503")
        #expect(error?.constraint == "child_parent_id_fkey")
    }

    @Test func aFailedCheckIsACheckViolation() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.query("INSERT INTO child VALUES (2, 1, -1, $1)", [Self.secret])
        }
        #expect(error?.code == .checkViolation)
        #expect(error?.sqlState == "23514")
        #expect(error?.constraint == "qty_positive")
    }

    @Test func aMissingRequiredValueIsANotNullViolationNamingItsColumn() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.query("INSERT INTO child (id, parent_id, qty) VALUES (3, NULL, 1)")
        }
        #expect(error?.code == .notNullViolation)
        #expect(error?.sqlState == "23502")
        #expect(error?.column == "parent_id")
    }

    @Test func aLoginWithoutGrantsGetsInsufficientPrivilege() throws {
        let database = try WrapperDatabase.shared.get()
        let connection = try Self.connect(as: database.login("nobody"))
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT * FROM parent") }
        #expect(error?.code == .insufficientPrivilege)
        #expect(error?.sqlState == "42501")
    }

    @Test func aRowRefusedByAPolicyIsARowLevelSecurityViolation() throws {
        let connection = try Self.connect()
        // The control: a row the policy admits.
        #expect(try connection.query("INSERT INTO guarded VALUES (1, 5)").affectedRows == 1)
        let error = #expect(throws: PostgresError.self) { try connection.query("INSERT INTO guarded VALUES (2, -5)") }
        #expect(error?.code == .rowLevelSecurity)
        #expect(error?.sqlState == "42501")
    }

    @Test func ourOwnSQLStatesAreApplicationErrors() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.query(
                "DO $$ BEGIN RAISE EXCEPTION 'case 7 is closed' USING ERRCODE = 'IN409', COLUMN = 'case'; END $$"
            )
        }
        #expect(error?.code == .application)
        #expect(error?.sqlState == "IN409")
        #expect(error?.column == "case")
        #expect(error?.isApplicationError == true)
        #expect(error?.isTransient == false)
    }

    @Test func otherServerStatesAreClassified() throws {
        let connection = try Self.connect()
        let undefined = #expect(throws: PostgresError.self) { try connection.query("SELECT * FROM no_such_table") }
        #expect(undefined?.code == .undefinedObject)
        #expect(undefined?.sqlState == "42P01")
        let badText = #expect(throws: PostgresError.self) { try connection.query("SELECT $1::integer", ["twelve"]) }
        #expect(badText?.code == .invalidText)
        #expect(badText?.sqlState == "22P02")
        try connection.query("SET statement_timeout = '50ms'")
        let canceled = #expect(throws: PostgresError.self) { try connection.query("SELECT pg_sleep(5)") }
        #expect(canceled?.code == .queryCanceled)
        #expect(canceled?.sqlState == "57014")
    }

    @Test func descriptionNeverCarriesTheServersTextButDebugDescriptionDoes() throws {
        let connection = try Self.connect()
        let unique = try #require(
            #expect(throws: PostgresError.self) {
                try connection.query("INSERT INTO parent VALUES (3, $1)", [Self.secret])
            }
        )
        let check = try #require(
            #expect(throws: PostgresError.self) {
                try connection.query("INSERT INTO child VALUES (4, 1, -1, $1)", [Self.secret])
            }
        )
        for error in [unique, check] {
            #expect(!error.description.contains(Self.secret))
            #expect(!"\(error)".contains(Self.secret))
            #expect(!String(describing: error).contains(Self.secret))
            #expect(error.debugDescription.contains(Self.secret))
            #expect(error.description.contains(error.sqlState ?? "none"))
        }
    }

    @Test func anUnreachableSocketDirectoryIsAConnectionFailure() throws {
        let error = #expect(throws: PostgresError.self) {
            try Connection(
                conninfo: "host=/nonexistent/inclusion-socket dbname=postgres user=postgres connect_timeout=2",
                logger: WrapperDatabase.logger
            )
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.sqlState == nil)
    }

    @Test func aTerminatedBackendIsAConnectionLoss() throws {
        let victim = try Self.connect()
        let killer = try Self.connect()
        #expect(try WrapperDatabase.value(killer, "SELECT pg_terminate_backend($1, 5000)", [victim.backendPID]) as Bool)
        let error = #expect(throws: PostgresError.self) { try victim.query("SELECT 1") }
        #expect(error?.code == .connectionLost)
        #expect(!victim.isOpen)
    }
}
