import InclusionTestSupport
import Postgres
import Testing

@Suite("Streaming results")
struct StreamTests {
    @Test func everyRowOfFiftyThousandArrivesInOrder() throws {
        let connection = try WrapperDatabase.owner()
        var received: [Int] = []
        received.reserveCapacity(50_000)
        try connection.stream("SELECT g, 'row ' || g FROM generate_series(1, $1::integer) g", [50_000]) { row in
            received.append(try row.decode(Int.self, 0))
        }
        #expect(received.count == 50_000)
        #expect(received == Array(1...50_000))
    }

    @Test func anEmptyResultCallsTheBodyNever() throws {
        let connection = try WrapperDatabase.owner()
        var calls = 0
        try connection.stream("SELECT 1 WHERE false") { _ in calls += 1 }
        #expect(calls == 0)
    }

    struct Enough: Error {}

    @Test func aThrowingBodyStopsTheStreamAndTheConnectionStaysUsable() throws {
        let connection = try WrapperDatabase.owner()
        var received = 0
        #expect(throws: Enough.self) {
            try connection.stream("SELECT g FROM generate_series(1, 1000000) g") { _ in
                received += 1
                if received == 10 { throw Enough() }
            }
        }
        #expect(received == 10)
        #expect(!connection.inTransaction)
        #expect(try WrapperDatabase.value(connection, "SELECT 'usable'") as String == "usable")
    }

    @Test func aServerErrorMidStreamIsThrownAfterTheRowsBeforeIt() throws {
        let connection = try WrapperDatabase.owner()
        var received: [Int] = []
        let error = #expect(throws: PostgresError.self) {
            try connection.stream("SELECT 10 / (5 - g) FROM generate_series(1, 10) g") { row in
                received.append(try row.decode(Int.self, 0))
            }
        }
        #expect(error?.sqlState == "22012")
        #expect(received == [2, 3, 5, 10])
        #expect(try WrapperDatabase.value(connection, "SELECT 1") as Int == 1)
    }
}
