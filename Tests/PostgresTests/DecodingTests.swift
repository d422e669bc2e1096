import InclusionTestSupport
import Postgres
import Testing

@Suite("Decoding column values")
struct DecodingTests {
    @Test func booleansDecodeFromTheirTextForm() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(try connection.query("SELECT true, false, NULL::boolean").first)
        #expect(try row.decode(Bool.self, 0) == true)
        #expect(try row.decode(Bool.self, 1) == false)
        #expect(try row.decode(Bool?.self, 2) == nil)
    }

    @Test func integersOfEveryWidthDecodeAtTheirLimits() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query(
                """
                SELECT (-32768)::int2, 32767::int2, (-2147483648)::int4, 2147483647::int4,
                       (-9223372036854775808)::int8, 9223372036854775807::int8
                """
            ).first
        )
        #expect(try row.decode(Int.self, 0) == -32768)
        #expect(try row.decode(Int32.self, 1) == 32767)
        #expect(try row.decode(Int32.self, 2) == Int32.min)
        #expect(try row.decode(Int32.self, 3) == Int32.max)
        #expect(try row.decode(Int64.self, 4) == Int64.min)
        #expect(try row.decode(Int.self, 5) == Int.max)
    }

    @Test func anInt8TooWideForInt32IsADecodingError() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(try connection.query("SELECT 2147483648::int8 AS wide").first)
        let error = #expect(throws: PostgresError.self) { try row.decode(Int32.self, 0) }
        #expect(error?.code == .decoding)
        #expect(error?.column == "wide")
    }

    @Test func numericDecodesExactlyAsTextAndApproximatelyAsDouble() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query("SELECT 12345.678901234567890123::numeric, 'NaN'::numeric, (-0.5)::numeric(4, 2)")
                .first
        )
        #expect(try row.decode(String.self, 0) == "12345.678901234567890123")
        #expect(try row.decode(Double.self, 0) == 12345.678901234567)
        #expect(try row.decode(Double.self, 1).isNaN)
        #expect(try row.decode(String.self, 2) == "-0.50")
        #expect(try row.decode(Double.self, 2) == -0.5)
    }

    @Test func infiniteAndNaNFloatsDecodeAsDoubles() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query("SELECT 'Infinity'::float8, '-Infinity'::float8, 'NaN'::float8, '-0'::float8").first
        )
        #expect(try row.decode(Double.self, 0) == .infinity)
        #expect(try row.decode(Double.self, 1) == -.infinity)
        #expect(try row.decode(Double.self, 2).isNaN)
        #expect(try row.decode(Double.self, 3) == 0)
    }

    @Test func textDateTimestampUUIDAndJSONBDecodeAsStrings() throws {
        let connection = try WrapperDatabase.owner()
        try connection.query("SET TimeZone = 'UTC'")
        let row = try #require(
            try connection.query(
                """
                SELECT 'Zoë Ørsted'::text, '2025-02-14'::date, '2025-02-14 10:30:05.25+01'::timestamptz,
                       'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, '{"b": [1, 2], "a": "x"}'::jsonb
                """
            ).first
        )
        #expect(try row.decode(String.self, 0) == "Zoë Ørsted")
        #expect(try row.decode(String.self, 1) == "2025-02-14")
        #expect(try row.decode(String.self, 2) == "2025-02-14 09:30:05.25+00")
        #expect(try row.decode(String.self, 3) == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
        #expect(try row.decode(String.self, 4) == #"{"a": "x", "b": [1, 2]}"#)
    }

    @Test func datesStayISOWhateverDateStyleTheSessionWasGiven() throws {
        let database = try WrapperDatabase.shared.get()
        let connection = try Connection(
            conninfo: database.conninfo(as: database.owner) + " options='-c DateStyle=SQL,DMY'",
            logger: WrapperDatabase.logger
        )
        #expect(try WrapperDatabase.value(connection, "SELECT '2025-02-14'::date") as String == "2025-02-14")
    }

    @Test func columnsDecodeByName() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(try connection.query("SELECT 7 AS seven, 'x' AS letter").first)
        #expect(try row.decode(Int.self, "seven") == 7)
        #expect(try row.decode(String.self, "letter") == "x")
        let missing = #expect(throws: PostgresError.self) { try row.decode(Int.self, "eight") }
        #expect(missing?.code == .decoding)
        let outOfRange = #expect(throws: PostgresError.self) { try row.decode(Int.self, 2) }
        #expect(outOfRange?.code == .decoding)
    }

    @Test func nullIntoANonOptionalThrowsAndIntoAnOptionalIsNil() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(try connection.query("SELECT NULL::int AS missing, NULL::text, NULL::text[]").first)
        let error = #expect(throws: PostgresError.self) { try row.decode(Int.self, 0) }
        #expect(error?.code == .decoding)
        #expect(error?.column == "missing")
        #expect(throws: PostgresError.self) { try row.decode(String.self, 1) }
        #expect(throws: PostgresError.self) { try row.decode(PostgresTextArray.self, 2) }
        #expect(try row.decode(Int?.self, 0) == nil)
        #expect(try row.decode(String?.self, 1) == nil)
        #expect(try row.decode(PostgresTextArray?.self, 2) == nil)
        #expect(row.texts == [nil, nil, nil])
    }

    @Test func textThatIsNotTheRequestedTypeIsADecodingError() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(try connection.query("SELECT '12.5'::text, 'yes'::text").first)
        #expect(throws: PostgresError.self) { try row.decode(Int.self, 0) }
        #expect(throws: PostgresError.self) { try row.decode(Bool.self, 1) }
    }

    static let arrayCases: [[String?]] = [
        [],
        ["plain"],
        ["has \"quotes\"", "has,comma", "{braces}", "spa ce"],
        ["a", nil, "c"],
        ["NULL", "null", ""],
        ["back\\slash", "\\", "ends with \\"],
        ["tab\there", "new\nline", "  padded  "],
        ["Zoë", "👩‍👩‍👧", "\u{202E}rtl"],
    ]

    @Test(arguments: arrayCases)
    func textArraysRoundTripThroughTheServer(elements: [String?]) throws {
        let connection = try WrapperDatabase.owner()
        let decoded: PostgresTextArray = try WrapperDatabase.value(
            connection,
            "SELECT $1::text[]",
            [PostgresArray(elements)]
        )
        #expect(decoded.elements == elements)
        // The server agrees on the element count and NULLs: the text was parsed, not just echoed.
        let shape = try #require(
            try connection.query(
                "SELECT cardinality($1::text[]), (SELECT count(*) FROM unnest($1::text[]) e WHERE e IS NULL)",
                [PostgresArray(elements)]
            ).first
        )
        #expect(try shape.decode(Int.self, 0) == elements.count)
        #expect(try shape.decode(Int.self, 1) == elements.filter { $0 == nil }.count)
    }

    @Test func serverBuiltArraysDecodeElementByElement() throws {
        let connection = try WrapperDatabase.owner()
        let row = try #require(
            try connection.query(
                #"""
                SELECT ARRAY['plain', 'has "quotes"', 'has,comma', NULL, '', 'back\slash', 'NULL']::text[],
                       '{}'::text[], ARRAY[1, NULL, -3]::int[], '{}'::int[]
                """#
            ).first
        )
        #expect(
            try row.decode(PostgresTextArray.self, 0).elements == [
                "plain", "has \"quotes\"", "has,comma", nil, "", "back\\slash", "NULL",
            ]
        )
        #expect(try row.decode(PostgresTextArray.self, 1).elements == [])
        #expect(try row.decode(PostgresTextArray.self, 2).elements == ["1", nil, "-3"])
        #expect(try row.decode(PostgresTextArray.self, 3).elements == [])
    }
}
