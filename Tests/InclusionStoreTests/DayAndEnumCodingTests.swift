import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// `Day` and the core's string-backed enums bind as statement parameters and decode from result columns by
/// themselves (issue 7, item 2): no `day.description`, no `::text` casts, no `Day(iso:)` at call sites.
@Suite("Day and enum coding")
struct DayAndEnumCodingTests {
    static let database = Result { try TestDatabase.create(suite: "typed_sql") }

    func connect() throws -> Connection {
        let database = try Self.database.get()
        return try database.connect(as: database.owner)
    }

    @Test(
        arguments: [
            Day(year: 2026, month: 9, day: 1)!, Day(year: 2024, month: 2, day: 29)!,
            Day(year: 1900, month: 1, day: 1)!, Day(year: 1, month: 1, day: 1)!, Day(year: 9999, month: 12, day: 31)!,
        ]
    )
    func aDayRoundTripsThroughADateParameter(day: Day) throws {
        let connection = try connect()
        defer { connection.close() }
        let row = try #require(
            try connection.query(
                "SELECT $1::date AS day, $1::date = make_date($2, $3, $4) AS same",
                [day, day.year, day.month, day.day]
            ).first
        )
        #expect(try row.decode(Day.self, "day") == day)
        #expect(try row.decode(Day?.self, "day") == day)
        // The server read the bound text as the same calendar day, not just text that decodes back.
        #expect(try row.decode(Bool.self, "same"))
    }

    @Test func aDayRoundTripsThroughADateColumn() throws {
        let connection = try connect()
        defer { connection.close() }
        try connection.query("CREATE TEMP TABLE typed_day (id integer PRIMARY KEY, on_day date)")
        let days = [Day(year: 2026, month: 3, day: 31)!, Day(year: 2025, month: 12, day: 1)!]
        for (id, day) in days.enumerated() {
            try connection.query("INSERT INTO typed_day (id, on_day) VALUES ($1, $2)", [id, day])
        }
        try connection.query("INSERT INTO typed_day (id, on_day) VALUES ($1, $2)", [days.count, Day?.none])
        let read = try connection.query("SELECT on_day FROM typed_day ORDER BY id").map { row in
            try row.decode(Day?.self, "on_day")
        }
        #expect(read == days + [nil])
        let later = try #require(
            try connection.query("SELECT count(*)::integer AS later FROM typed_day WHERE on_day > $1", [days[1]]).first
        )
        #expect(try later.decode(Int.self, "later") == 1)
    }

    @Test func nullDecodesAsNoDayAndIsRefusedForARequiredDay() throws {
        let connection = try connect()
        defer { connection.close() }
        let row = try #require(try connection.query("SELECT NULL::date AS day").first)
        #expect(try row.decode(Day?.self, "day") == nil)
        let error = #expect(throws: PostgresError.self) { try row.decode(Day.self, "day") }
        #expect(error?.code == .decoding)
        #expect(error?.column == "day")
        #expect(error?.serverMessage?.contains("Day") == true)
    }

    @Test(
        arguments: ["'infinity'::date", "'0044-03-15 BC'::date", "'not a date'::text", "'2026-02-30'::text"] as [SQL]
    )
    func textThatIsNoDayIsADecodingErrorNamingDay(expression: SQL) throws {
        let connection = try connect()
        defer { connection.close() }
        let row = try #require(try connection.query("SELECT \(expression) AS day").first)
        for decode in [{ _ = try row.decode(Day.self, "day") }, { _ = try row.decode(Day?.self, "day") }] {
            let error = #expect(throws: PostgresError.self) { try decode() }
            #expect(error?.code == .decoding)
            #expect(error?.column == "day")
            #expect(error?.serverMessage == "column text is not a valid Day")
        }
    }

    @Test func stringEnumsRoundTripAsTheirRawValues() throws {
        let connection = try connect()
        defer { connection.close() }
        for kind in PlanKind.allCases {
            let row = try #require(
                try connection.query("SELECT $1::text AS kind, $1 = $2 AS raw", [kind, kind.rawValue]).first
            )
            #expect(try row.decode(PlanKind.self, "kind") == kind)
            #expect(try row.decode(Bool.self, "raw"))
        }
        for status in SENStatus.allCases {
            let row = try #require(try connection.query("SELECT $1::char(1) AS sen_status", [status]).first)
            #expect(try row.decode(SENStatus.self, "sen_status") == status)
        }
        let none = try #require(try connection.query("SELECT $1::text AS area", [AreaOfNeed?.none]).first)
        #expect(try none.decode(AreaOfNeed?.self, "area") == nil)
    }

    @Test func textThatIsNoCaseOfTheEnumIsRefused() throws {
        let connection = try connect()
        defer { connection.close() }
        // Case matters: the column's CHECK constraint allows only the raw values, so `EHCP` is not `ehcp`.
        let row = try #require(try connection.query("SELECT 'EHCP'::text AS kind, NULL::text AS missing").first)
        let invalid = #expect(throws: PostgresError.self) { try row.decode(PlanKind.self, "kind") }
        #expect(invalid?.code == .decoding)
        #expect(invalid?.column == "kind")
        #expect(invalid?.serverMessage == "column text is not a valid PlanKind")
        #expect(throws: PostgresError.self) { try row.decode(PlanKind?.self, "kind") }
        let null = #expect(throws: PostgresError.self) { try row.decode(PlanKind.self, "missing") }
        #expect(null?.code == .decoding)
        #expect(try row.decode(PlanKind?.self, "missing") == nil)
    }
}
