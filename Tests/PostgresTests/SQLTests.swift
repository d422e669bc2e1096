import InclusionTestSupport
import Postgres
import Testing

@Suite("SQL text")
struct SQLTests {
    @Test func aLiteralIsItsText() {
        let statement: SQL = "SELECT 1"
        #expect(statement.text == "SELECT 1")
        #expect(statement.description == "SELECT 1")
    }

    @Test func fragmentsCompose() {
        let columns: SQL = "p.id, p.upn"
        let table: SQL = "inclusion.pupil p"
        let statement: SQL = "SELECT \(columns) FROM \(table) WHERE p.id = $1"
        #expect(statement.text == "SELECT p.id, p.upn FROM inclusion.pupil p WHERE p.id = $1")
        let nested: SQL = "SELECT count(*) FROM (\(statement)) s"
        #expect(nested.text == "SELECT count(*) FROM (SELECT p.id, p.upn FROM inclusion.pupil p WHERE p.id = $1) s")
        #expect(([columns, "p.dob"] as [SQL]).joined(separator: ", ").text == "p.id, p.upn, p.dob")
    }

    @Test(
        arguments: [
            ("plain", #""plain""#),
            (#"a"b"#, #""a""b""#),
            (#"""#, #""""""#),
            ("Mixed Case; DROP TABLE x; --", #""Mixed Case; DROP TABLE x; --""#),
            ("Zoë", #""Zoë""#),
            ("", #""""#),
        ]
    )
    func anIdentifierIsQuotedAsLibpqQuotesIt(name: String, quoted: String) throws {
        #expect(SQL.identifier(name).text == quoted)
        let connection = try WrapperDatabase.owner()
        #expect(try connection.quoteIdentifier(name).text == quoted)
    }

    @Test func aQuotedIdentifierNamesTheObjectExactly() throws {
        let connection = try WrapperDatabase.owner()
        let name = #"odd "name"; DROP TABLE x; --"#
        try connection.query("CREATE TEMPORARY TABLE \(SQL.identifier(name)) (value integer)")
        try connection.query("INSERT INTO \(SQL.identifier(name)) VALUES ($1)", [7])
        #expect(try WrapperDatabase.value(connection, "SELECT value FROM \(SQL.identifier(name))") as Int == 7)
        let found = try connection.query("SELECT relname FROM pg_class WHERE relname = $1", [name])
        #expect(found.count == 1)
    }

    @Test func trustedTextIsTakenAsItIs() throws {
        let connection = try WrapperDatabase.owner()
        let fixed = ["lower", "upper"]
        let results = try fixed.map { function in
            try WrapperDatabase.value(connection, "SELECT \(SQL(trusted: function))($1::text)", ["aB"]) as String
        }
        #expect(results == ["ab", "AB"])
    }
}
