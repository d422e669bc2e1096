import InclusionTestSupport
import Postgres
import Testing

@Suite("COPY FROM STDIN")
struct CopyTests {
    static let schema = Result {
        try WrapperDatabase.scratchSchema("copying") { connection in
            for table: SQL in ["bulk", "aborted", "nul"] {
                try connection.query("CREATE TABLE \(table) (id integer PRIMARY KEY, body text NOT NULL, note text)")
            }
        }
    }

    static func connect() throws -> Connection {
        _ = try schema.get()
        let connection = try WrapperDatabase.owner()
        try connection.query("SET search_path = copying")
        return connection
    }

    /// Row `i` of the bulk load: every character COPY's text format must escape, plus unicode and NULLs.
    static func row(_ i: Int) -> (body: String, note: String?) {
        let bodies = [
            "plain \(i)", "tab\t\(i)", "line\nbreak \(i)", "carriage\r\n\(i)", "back\\slash \(i)", "\\N",
            "\\.", "Zoë 👩‍👩‍👧 \(i)", "\u{202E}\(i)", "quote ' and \" \(i)",
        ]
        return (bodies[i % bodies.count], i % 7 == 0 ? nil : "note \\ \t \(i)")
    }

    @Test func tenThousandRowsWithEscapesAndNullsRoundTrip() throws {
        let connection = try Self.connect()
        let copied = try connection.copyIn("COPY bulk (id, body, note) FROM STDIN") { writer in
            for i in 0..<10_000 {
                let row = Self.row(i)
                try writer.appendRow([String(i), row.body, row.note])
            }
        }
        #expect(copied == 10_000)
        let rows = try connection.query("SELECT id, body, note FROM bulk ORDER BY id")
        #expect(rows.count == 10_000)
        var mismatches = 0
        for (i, stored) in rows.enumerated() {
            let expected = Self.row(i)
            if try stored.decode(Int.self, 0) != i
                || Array(try stored.decode(String.self, 1).utf8) != Array(expected.body.utf8)
                || (try stored.decode(String?.self, 2)) != expected.note
            {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(try WrapperDatabase.value(connection, "SELECT count(*) FROM bulk WHERE note IS NULL") as Int == 1_429)
    }

    struct WriterGaveUp: Error {}

    @Test func aThrowingBodyWritesNothingAndLeavesTheConnectionUsable() throws {
        let connection = try Self.connect()
        #expect(throws: WriterGaveUp.self) {
            try connection.copyIn("COPY aborted (id, body) FROM STDIN") { writer in
                // Enough to cross the 64 KiB buffer, so some rows have already reached the server.
                for i in 0..<5_000 { try writer.appendRow([String(i), String(repeating: "x", count: 40)]) }
                throw WriterGaveUp()
            }
        }
        #expect(!connection.inTransaction)
        #expect(try WrapperDatabase.value(connection, "SELECT count(*) FROM aborted") as Int == 0)
        #expect(try connection.copyIn("COPY aborted (id, body) FROM STDIN") { try $0.appendRow(["1", "after"]) } == 1)
        #expect(try WrapperDatabase.value(connection, "SELECT body FROM aborted") as String == "after")
    }

    @Test func aNULByteInAFieldIsRefusedAndNothingIsWritten() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.copyIn("COPY nul (id, body) FROM STDIN") { writer in
                try writer.appendRow(["1", "fine"])
                try writer.appendRow(["2", "not\u{0}fine"])
            }
        }
        #expect(error?.code == .invalidText)
        #expect(try WrapperDatabase.value(connection, "SELECT count(*) FROM nul") as Int == 0)
    }

    @Test func aStatementThatIsNotCopyFromStdinIsAUsageError() throws {
        let connection = try Self.connect()
        let error = #expect(throws: PostgresError.self) {
            try connection.copyIn("SELECT 1") { _ in }
        }
        #expect(error?.code == .usage)
        #expect(try WrapperDatabase.value(connection, "SELECT 2") as Int == 2)
    }
}
