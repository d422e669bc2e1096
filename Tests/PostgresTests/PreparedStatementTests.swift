import InclusionTestSupport
import Postgres
import Testing

@Suite("Prepared statements")
struct PreparedStatementTests {
    @Test func aStatementIsPreparedOnceAndRunWithEachCallsValues() throws {
        let connection = try WrapperDatabase.owner()
        let statement: SQL = "SELECT $1::integer * 2 AS doubled, $2::text AS label"
        for value in [1, 21, -4] {
            let row = try connection.query(prepared: statement, [value, "n\(value)"])[0]
            #expect(try row.decode(Int.self, "doubled") == value * 2)
            #expect(try row.decode(String.self, "label") == "n\(value)")
        }
        // One statement on the server, whatever the number of calls.
        let prepared = try connection.query(
            "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1",
            [statement.text]
        )
        #expect(try prepared[0].decode(Int.self, "n") == 1)
    }

    @Test func aStatementTheSessionLostIsPreparedAgainAfterOneError() throws {
        let connection = try WrapperDatabase.owner()
        let statement: SQL = "SELECT $1::integer + 1 AS next"
        #expect(try connection.query(prepared: statement, [1])[0].decode(Int.self, "next") == 2)
        try connection.query("DEALLOCATE ALL")
        let error = #expect(throws: PostgresError.self) { try connection.query(prepared: statement, [1]) }
        #expect(error?.sqlState == "26000")
        #expect(try connection.query(prepared: statement, [41])[0].decode(Int.self, "next") == 42)
    }

    @Test func aStatementThatFailsToPrepareIsNotKept() throws {
        let connection = try WrapperDatabase.owner()
        let broken: SQL = "SELECT nonsense_column FROM pg_class WHERE oid = $1"
        #expect(throws: PostgresError.self) { try connection.query(prepared: broken, [1]) }
        #expect(throws: PostgresError.self) { try connection.query(prepared: broken, [1]) }
        let count = try connection.query("SELECT count(*) AS n FROM pg_prepared_statements")[0].decode(Int.self, "n")
        #expect(count == 0)
    }
}
