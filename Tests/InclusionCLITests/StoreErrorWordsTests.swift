import InclusionStore
import Postgres
import Testing

/// The words a user sees for PostgreSQL errors no constraint name explains: never the server's text (it can repeat
/// pupil data), always something to act on.
@Suite("Store error words")
struct StoreErrorWordsTests {
    static let serverText = "value \"Xanthippe O'Brien\" is secret"

    static func translate(_ code: PostgresError.Code, _ sqlState: String) -> StoreError {
        StoreError(PostgresError(code: code, sqlState: sqlState, serverMessage: serverText))
    }

    @Test(
        "each condition gets words of its own, with the SQLSTATE and never the server's text",
        arguments: [
            (PostgresError.Code.other, "55P03", StoreError.Kind.unavailable, "the database is busy: another session"),
            (.queryCanceled, "57014", .unavailable, "the database stopped the command: it ran longer than"),
            (.other, "53100", .unavailable, "the database server is short of resources (SQLSTATE 53100"),
            (.other, "42939", .invalid, "the database refused a name reserved for its own use (SQLSTATE 42939)"),
            (.invalidText, "22003", .invalid, "a value is out of range or in the wrong form for the database"),
            (.other, "0A000", .other, "the database refused the request for a reason this program does not"),
        ]
    )
    func wordsForConditions(code: PostgresError.Code, sqlState: String, kind: StoreError.Kind, prefix: String) {
        let error = Self.translate(code, sqlState)
        #expect(error.kind == kind)
        #expect(error.message.hasPrefix(prefix), "\(error.message)")
        #expect(!error.description.contains("Xanthippe"))
        #expect(error.sqlState == sqlState)
        #expect(error.debugDetail?.contains("Xanthippe") == true)
    }
}
