import Foundation
import InclusionTestSupport
import Postgres
import Testing

@Suite("Connecting")
struct ConnectionTests {
    /// Where the test cluster listens: the socket directory from the suite's conninfo (keyword form, as `make
    /// test` writes it), the port from the server.
    static func socket() throws -> (directory: String, port: Int) {
        let base = try TestDatabase.superuserConninfo()
        let host = base.split(separator: " ").first { $0.hasPrefix("host=") }.map { String($0.dropFirst(5)) }
        let directory = try #require(host, "INCLUSION_TEST_DATABASE names no host=")
        let port: Int = try WrapperDatabase.value(try WrapperDatabase.owner(), "SELECT current_setting('port')::int")
        return (directory, port)
    }

    @Test func aKeywordValueConnectionStringConnects() throws {
        let database = try WrapperDatabase.shared.get()
        let (directory, port) = try Self.socket()
        let connection = try Connection(
            conninfo: "host='\(directory)' port=\(port) dbname=\(database.name) user=\(database.owner)",
            logger: WrapperDatabase.logger
        )
        #expect(connection.isOpen)
        #expect(connection.user == database.owner)
        #expect(try WrapperDatabase.value(connection, "SELECT current_database()") as String == database.name)
        #expect(connection.serverVersion >= 140_000)
    }

    @Test func aURIConnects() throws {
        let database = try WrapperDatabase.shared.get()
        let (directory, port) = try Self.socket()
        let host = try #require(directory.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let uri = "postgresql://\(database.owner)@\(host):\(port)/\(database.name)?application_name=uri-test"
        let connection = try Connection(conninfo: uri, logger: WrapperDatabase.logger)
        #expect(connection.user == database.owner)
        let row = try #require(
            try connection.query("SELECT current_database(), current_setting('application_name')").first
        )
        #expect(try row.decode(String.self, 0) == database.name)
        #expect(try row.decode(String.self, 1) == "uri-test")
    }

    @Test func theApplicationNameIsAFallbackTheConnectionStringCanOverride() throws {
        let database = try WrapperDatabase.shared.get()
        let named = try Connection(
            conninfo: database.conninfo(as: database.owner),
            applicationName: "inclusiond-web-1",
            logger: WrapperDatabase.logger
        )
        #expect(try WrapperDatabase.value(named, "SHOW application_name") as String == "inclusiond-web-1")
        let overridden = try Connection(
            conninfo: database.conninfo(as: database.owner) + " application_name=from-conninfo",
            applicationName: "inclusiond-web-1",
            logger: WrapperDatabase.logger
        )
        #expect(try WrapperDatabase.value(overridden, "SHOW application_name") as String == "from-conninfo")
    }

    @Test func aClosedConnectionRefusesStatementsAsLost() throws {
        let connection = try WrapperDatabase.owner()
        connection.close()
        #expect(!connection.isOpen)
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(error?.code == .connectionLost)
    }

    @Test func aConfinedConnectionServesConcurrentTasksOneAtATime() async throws {
        let database = try WrapperDatabase.shared.get()
        let confined = try await ConfinedConnection.connect(
            conninfo: database.conninfo(as: database.owner),
            logger: WrapperDatabase.logger
        )
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int32).self) { group in
            for i in 0..<64 {
                group.addTask {
                    try await confined.withConnection { connection in
                        let row = try #require(
                            try connection.query("SELECT $1::int * 3, pg_backend_pid()", [i]).first
                        )
                        return (i, try row.decode(Int.self, 0), try row.decode(Int32.self, 1))
                    }
                }
            }
            var collected: [(Int, Int, Int32)] = []
            for try await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.1 == $0.0 * 3 })
        #expect(Set(results.map(\.2)).count == 1)
    }

    @Test func aConfinedConnectionKeepsSessionStateBetweenCalls() async throws {
        let database = try WrapperDatabase.shared.get()
        let confined = try await ConfinedConnection.connect(
            conninfo: database.conninfo(as: database.owner),
            logger: WrapperDatabase.logger
        )
        try await confined.withConnection { connection in
            _ = try connection.query("SELECT set_config('inclusion.test_marker', 'kept', false)")
        }
        let marker = try await confined.withConnection { connection -> String in
            try WrapperDatabase.value(connection, "SELECT current_setting('inclusion.test_marker')")
        }
        #expect(marker == "kept")
    }

    @Test func encryptPasswordReturnsAScramVerifierWithoutTheClearText() throws {
        let connection = try WrapperDatabase.owner()
        let first = try connection.encryptPassword("correct horse battery staple", user: "someone")
        let second = try connection.encryptPassword("correct horse battery staple", user: "someone")
        #expect(first.hasPrefix("SCRAM-SHA-256$"))
        #expect(!first.contains("correct horse"))
        // A fresh salt each time.
        #expect(first != second)
    }
}
