import InclusionTestSupport
import Postgres
import Testing

@Suite("Transactions and retries")
struct TransactionTests {
    static let schema = Result {
        try WrapperDatabase.scratchSchema("txn") { connection in
            for table: SQL in ["retried", "exhausted", "deadlocked", "unretried", "nested"] {
                try connection.query("CREATE TABLE \(table) (id integer PRIMARY KEY, n integer NOT NULL)")
                try connection.query("INSERT INTO \(table) VALUES (1, 0), (2, 0)")
            }
        }
    }

    static func connect() throws -> Connection {
        _ = try schema.get()
        let connection = try WrapperDatabase.owner()
        try connection.query("SET search_path = txn")
        return connection
    }

    @Test func aSerializationFailureRunsTheBodyAgainUntilItCommits() throws {
        let connection = try Self.connect()
        let rival = try Self.connect()
        var attempts = 0
        let written = try connection.transaction(.serializable) { transaction -> Int in
            attempts += 1
            let seen: Int = try WrapperDatabase.value(transaction, "SELECT n FROM retried WHERE id = 1")
            if attempts == 1 {
                // Commits after this transaction's snapshot: its own update must now fail with 40001.
                try rival.query("UPDATE retried SET n = n + 10 WHERE id = 1")
            }
            try transaction.query("UPDATE retried SET n = $1 WHERE id = 1", [seen + 1])
            return seen + 1
        }
        #expect(attempts == 2)
        #expect(written == 11)
        #expect(try WrapperDatabase.value(rival, "SELECT n FROM retried WHERE id = 1") as Int == 11)
        #expect(!connection.inTransaction)
    }

    @Test func retriesStopAfterMaxAttemptsWithTheSerializationFailure() throws {
        let connection = try Self.connect()
        let rival = try Self.connect()
        var attempts = 0
        let error = #expect(throws: PostgresError.self) {
            try connection.transaction(.serializable, maxAttempts: 3) { transaction in
                attempts += 1
                _ = try transaction.query("SELECT n FROM exhausted WHERE id = 1")
                try rival.query("UPDATE exhausted SET n = n + 1 WHERE id = 1")
                try transaction.query("UPDATE exhausted SET n = 100 WHERE id = 1")
            }
        }
        #expect(attempts == 3)
        #expect(error?.code == .serializationFailure)
        #expect(error?.sqlState == "40001")
        #expect(error?.isTransient == true)
        #expect(try WrapperDatabase.value(rival, "SELECT n FROM exhausted WHERE id = 1") as Int == 3)
        #expect(!connection.inTransaction)
    }

    @Test func aNonTransientErrorIsNotRetriedAndRollsBack() throws {
        let connection = try Self.connect()
        var attempts = 0
        let error = #expect(throws: PostgresError.self) {
            try connection.transaction(.serializable) { transaction in
                attempts += 1
                try transaction.query("UPDATE unretried SET n = 99 WHERE id = 2")
                try transaction.query("INSERT INTO unretried VALUES (1, 0)")
            }
        }
        #expect(attempts == 1)
        #expect(error?.code == .uniqueViolation)
        #expect(!connection.inTransaction)
        #expect(try WrapperDatabase.value(connection, "SELECT n FROM unretried WHERE id = 2") as Int == 0)
    }

    struct Refusal: Error {}

    @Test func aSwiftErrorFromTheBodyIsNotRetriedAndRollsBack() throws {
        let connection = try Self.connect()
        var attempts = 0
        #expect(throws: Refusal.self) {
            try connection.transaction { transaction in
                attempts += 1
                try transaction.query("UPDATE unretried SET n = 42 WHERE id = 1")
                throw Refusal()
            }
        }
        #expect(attempts == 1)
        #expect(try WrapperDatabase.value(connection, "SELECT n FROM unretried WHERE id = 1") as Int == 0)
        #expect(!connection.inTransaction)
    }

    /// A nested `transaction` would send a second BEGIN (only a WARNING) and its COMMIT would commit the outer
    /// transaction early, so it is refused as a usage error and the outer transaction rolls back whole.
    @Test func aNestedTransactionDoesNotCommitTheOuterOneEarly() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.transaction { outer in
                try outer.query("UPDATE nested SET n = 1 WHERE id = 1")
                try outer.transaction { inner in
                    _ = try inner.query("UPDATE nested SET n = 1 WHERE id = 2")
                }
                throw Refusal()
            }
        }
        #expect(error?.code == .usage)
        #expect(!connection.inTransaction)
        #expect(try WrapperDatabase.value(connection, "SELECT sum(n)::int FROM nested") as Int == 0)
    }

    @Test func aDeadlockIsClassifiedAsATransientDeadlock() async throws {
        _ = try Self.schema.get()
        let database = try WrapperDatabase.shared.get()
        let conninfo = database.conninfo(as: database.owner) + " options='-c search_path=txn'"
        let first = try await ConfinedConnection.connect(conninfo: conninfo, logger: WrapperDatabase.logger)
        let second = try await ConfinedConnection.connect(conninfo: conninfo, logger: WrapperDatabase.logger)
        try await first.withConnection { connection in
            try connection.query("BEGIN")
            try connection.query("UPDATE deadlocked SET n = n + 1 WHERE id = 1")
        }
        try await second.withConnection { connection in
            try connection.query("BEGIN")
            try connection.query("UPDATE deadlocked SET n = n + 1 WHERE id = 2")
        }
        // Each now waits for the row the other holds: PostgreSQL breaks the cycle by failing one of them.
        async let firstOutcome = first.withConnection { connection -> PostgresError? in
            do {
                try connection.query("UPDATE deadlocked SET n = n + 1 WHERE id = 2")
                return nil
            } catch let error as PostgresError { return error }
        }
        async let secondOutcome = second.withConnection { connection -> PostgresError? in
            do {
                try connection.query("UPDATE deadlocked SET n = n + 1 WHERE id = 1")
                return nil
            } catch let error as PostgresError { return error }
        }
        let errors = [try await firstOutcome, try await secondOutcome].compactMap { $0 }
        #expect(errors.count == 1)
        #expect(errors.first?.code == .deadlock)
        #expect(errors.first?.sqlState == "40P01")
        #expect(errors.first?.isTransient == true)
        for confined in [first, second] {
            try await confined.withConnection { connection in _ = try connection.query("ROLLBACK") }
        }
    }
}
