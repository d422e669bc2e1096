import InclusionTestSupport
import Postgres
import Testing

@Suite("Statement parameters")
struct ParameterTests {
    static let texts: [String] = [
        "O'Brien",
        "'; DROP TABLE pupils; --",
        "\"double\" and 'single' quotes",
        "back\\slash \\\\ and \\N and \\.",
        "tab\tnew\nline\r\ncarriage",
        "Zoë Ørsted — Ælfrīc",
        "e\u{301} combining",
        "👩‍👩‍👧‍👦 🏴󠁧󠁢󠁷󠁬󠁳󠁿",
        "\u{202E}override\u{200D}\u{FEFF}",
        "$1 $2 %s %n {a,b}",
        "",
    ]

    @Test(arguments: texts)
    func textParametersRoundTripByteForByte(text: String) throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query("SELECT $1::text, length($1::text), octet_length($1)", [text]).first
        )
        #expect(Array(try row.decode(String.self, 0).utf8) == Array(text.utf8))
        #expect(try row.decode(Int.self, 1) == text.unicodeScalars.count)
        #expect(try row.decode(Int.self, 2) == text.utf8.count)
    }

    @Test func aTenThousandCharacterParameterArrivesWhole() throws {
        let connection = try WrapperDatabase.owner()
        let long = String(repeating: "ab", count: 5_000)
        #expect(try WrapperDatabase.value(connection, "SELECT length($1::text)", [long]) as Int == 10_000)
        #expect(try WrapperDatabase.value(connection, "SELECT $1::text", [long]) as String == long)
    }

    @Test func numbersBooleansAndNullRoundTrip() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query(
                "SELECT $1::int8, $2::int4, $3::float8, $4::float8, $5::boolean, $6::text IS NULL, $7::int",
                [Int.min, Int32.max, Double.pi, 1e-300, true, String?.none, Int64(42)]
            ).first
        )
        #expect(try row.decode(Int.self, 0) == Int.min)
        #expect(try row.decode(Int32.self, 1) == Int32.max)
        #expect(try row.decode(Double.self, 2) == Double.pi)
        #expect(try row.decode(Double.self, 3) == 1e-300)
        #expect(try row.decode(Bool.self, 4) == true)
        #expect(try row.decode(Bool.self, 5) == true)
        #expect(try row.decode(Int.self, 6) == 42)
    }

    @Test func infiniteAndNaNDoublesBindAsParameters() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query(
                "SELECT $1::float8::text, $2::float8::text, $3::float8::text, $4::numeric::text",
                [Double.infinity, -Double.infinity, Double.nan, 0.1]
            ).first
        )
        #expect(row.texts == ["Infinity", "-Infinity", "NaN", "0.1"])
    }

    @Test func aParameterIsNeverExecutedAsSQL() throws {
        let connection = try WrapperDatabase.owner()
        let hostile = "x'); SELECT pg_sleep(10); --"
        let count: Int = try WrapperDatabase.value(
            connection,
            "SELECT count(*) FROM (VALUES ('x')) v(a) WHERE a = $1",
            [hostile]
        )
        #expect(count == 0)
    }

    @Test func aNULByteInAParameterIsRefusedBeforeItReachesTheServer() throws {
        let connection = try WrapperDatabase.owner()
        let error = #expect(throws: PostgresError.self) {
            try connection.query("SELECT $1::text", ["before\u{0}after"])
        }
        #expect(error?.code == .invalidText)
        #expect(error?.sqlState == nil)
        let streamed = #expect(throws: PostgresError.self) {
            try connection.stream("SELECT $1::text", ["\u{0}"]) { _ in }
        }
        #expect(streamed?.code == .invalidText)
        // The connection is untouched and still usable.
        #expect(try WrapperDatabase.value(connection, "SELECT 'still here'") as String == "still here")
    }
}
