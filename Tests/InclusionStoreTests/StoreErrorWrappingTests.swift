import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Logging
import Postgres
import Testing

/// Public store methods throw ``StoreError`` only (issue 7, item 2): whatever their bodies meet is wrapped by
/// `StoreError(wrapping:)`.
@Suite("Store errors, whatever was thrown")
struct StoreErrorWrappingTests {
    static let database = Result { try TestDatabase.create(suite: "store_errors") }
    static let secret = "Xanthippe O'Brien"

    func connect() throws -> Connection {
        let database = try Self.database.get()
        return try database.connect(as: database.owner)
    }

    @Test func aStoreErrorIsKeptAsItIs() {
        let error = StoreError(.notFound, field: "plan", "no plan 7 is visible to your login", line: 3)
        #expect(StoreError(wrapping: error) == error)
    }

    @Test func aPostgresErrorIsTranslated() {
        let error = PostgresError(code: .insufficientPrivilege, sqlState: "42501", serverMessage: Self.secret)
        let wrapped = StoreError(wrapping: error)
        #expect(wrapped == StoreError(error))
        #expect(wrapped.kind == .permissionDenied)
        #expect(wrapped.sqlState == "42501")
    }

    @Test func aRuleRefusalIsInvalidDataAboutTheSameFieldAndLine() {
        let one = StoreError(wrapping: ValidationError(field: "dob", message: "is in the future", line: 12))
        #expect(one.kind == .invalid)
        #expect(one.field == "dob")
        #expect(one.line == 12)
        #expect(one.message == "is in the future")
        let several = StoreError(
            wrapping: ValidationErrors([
                ValidationError(field: "upn", message: "is empty", line: 4),
                ValidationError(field: "dob", message: "is not a date", line: 4),
            ])
        )
        #expect(several.kind == .invalid)
        #expect(several.field == "upn")
        #expect(several.line == 4)
        #expect(several.message == "upn: is empty (line 4); dob: is not a date (line 4)")
    }

    @Test func anyOtherErrorIsOtherInBlandWordsWithItsTextForDebugOnly() {
        struct Unexpected: Error, CustomStringConvertible {
            var description: String { "unexpected \(StoreErrorWrappingTests.secret)" }
        }
        let wrapped = StoreError(wrapping: Unexpected())
        #expect(wrapped.kind == .other)
        #expect(!wrapped.description.contains("Xanthippe"))
        #expect(wrapped.debugDetail?.contains("Xanthippe") == true)
    }

    @Test func aStoreTransactionThrowsOnlyStoreErrorsAndRollsBack() throws {
        let connection = try connect()
        defer { connection.close() }
        try connection.query("CREATE TEMPORARY TABLE kept (value integer)")
        // A server error, a column that does not decode, a rule's refusal, a JSON error: each after a write.
        let failures: [(Connection) throws -> Void] = [
            { try $0.query("SELECT 1 / 0") },
            { _ = try $0.query("SELECT NULL::integer AS n")[0].decode(Int.self, "n") },
            { _ in throw ValidationError(field: "on", message: "is too late") },
            { _ in _ = try JSONDecoder().decode([Int].self, from: Data("{".utf8)) },
        ]
        let bodies = failures.map { failure in
            { (connection: Connection) throws in
                try connection.query("INSERT INTO kept VALUES (1)")
                try failure(connection)
            }
        }
        let kinds: [StoreError.Kind] = [.invalid, .other, .invalid, .other]
        for (body, kind) in zip(bodies, kinds) {
            // `do throws(StoreError)` compiles only because storeTransaction is declared to throw nothing else.
            do throws(StoreError) {
                try connection.storeTransaction(body)
                Issue.record("the body's error was lost")
            } catch {
                #expect(error.kind == kind, "\(error)")
            }
        }
        #expect(try connection.query("SELECT count(*) AS n FROM kept")[0].decode(Int.self, "n") == 0)
    }

    @Test func aColumnThatDoesNotDecodeIsNamedWithoutItsValue() {
        let error = PostgresError(
            code: .decoding,
            column: "state",
            serverMessage: "column text is not a valid JobRunState"
        )
        let wrapped = StoreError(wrapping: error)
        #expect(wrapped.kind == .other)
        #expect(wrapped.field == "state")
        #expect(wrapped.message.contains("JobRunState"))
    }

    @Test func aJobRunStateTheBuildDoesNotKnowIsAStoreErrorFromThePublicMethod() throws {
        let database = try Self.database.get()
        let superuser = try Connection(
            conninfo: database.superuserConninfo,
            logger: Logger(label: "inclusion.tests.store-errors")
        )
        defer { superuser.close() }
        try superuser.query("ALTER TABLE inclusion.job_run DROP CONSTRAINT job_run_state_check")
        try superuser.query("INSERT INTO inclusion.job (name, schedule) VALUES ('newer-job', 'daily')")
        let id: Int64 = try firstValue(
            superuser,
            """
            INSERT INTO inclusion.job_run (job, scheduled_for, max_attempts, state)
            VALUES ('newer-job', now(), 1, 'paused') RETURNING id
            """
        )
        let known: Int64 = try firstValue(
            superuser,
            """
            INSERT INTO inclusion.job_run (job, scheduled_for, max_attempts, state)
            VALUES ('newer-job', now() + interval '1 day', 1, $1) RETURNING id
            """,
            [JobRunState.succeeded]
        )
        let store = JobStore(connection: superuser)
        #expect(try store.run(id: known)?.state == .succeeded)
        do throws(StoreError) {
            _ = try store.run(id: id)
            Issue.record("a state this build does not know was decoded")
        } catch {
            #expect(error.kind == .other)
            #expect(error.field == "state")
            #expect(error.message.contains("JobRunState"), "\(error)")
        }
    }
}
