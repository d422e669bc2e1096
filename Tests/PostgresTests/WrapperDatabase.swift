import InclusionTestSupport
import Logging
import Postgres

/// The one throwaway database every suite of this target shares. Each suite works in a scratch schema of its own
/// (created as the database owner), so suites running in parallel never see each other's tables.
enum WrapperDatabase {
    static let shared = Result { try TestDatabase.create(suite: "pgwrapper") }

    static let logger: Logger = {
        var logger = Logger(label: "inclusion.tests.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// Connects as the database owner.
    static func owner() throws -> Connection {
        let database = try shared.get()
        return try database.connect(as: database.owner)
    }

    /// Creates a scratch schema as the owner and runs `setUp` in it; call once per suite (from a `static let`).
    static func scratchSchema(_ schema: String, setUp: (Connection) throws -> Void = { _ in }) throws -> String {
        let connection = try owner()
        defer { connection.close() }
        try connection.query("SET client_min_messages = warning")
        try connection.query("DROP SCHEMA IF EXISTS \(try connection.quoteIdentifier(schema)) CASCADE")
        try connection.query("CREATE SCHEMA \(try connection.quoteIdentifier(schema))")
        try connection.query("SET search_path = \(try connection.quoteIdentifier(schema))")
        try setUp(connection)
        return schema
    }

    /// Reads the first column of the first row.
    static func value<T: PostgresDecodable>(
        _ connection: Connection,
        _ sql: SQL,
        _ parameters: [any PostgresBindable] = []
    ) throws -> T {
        let rows = try connection.query(sql, parameters)
        guard let first = rows.first else { throw TestDatabaseError("no rows from: \(sql)") }
        return try first.decode(T.self, 0)
    }
}
