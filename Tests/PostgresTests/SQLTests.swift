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
    }
}
