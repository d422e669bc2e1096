import Foundation
import InclusionStore
import Logging
public import Postgres

/// A throwaway database for one test suite, on the cluster `make test` starts.
///
/// Roles are cluster-wide and database grants are not copied by CREATE DATABASE, so each suite gets its own
/// database, its own role prefix and its own logins: suites then run in parallel without seeing each other.
/// `INCLUSION_TEST_DATABASE` (a superuser conninfo) must be set; without it every database test fails — it never
/// skips.
public struct TestDatabase: Sendable {
    /// The database and role-prefix name, e.g. `t_isolation`.
    public let name: String
    /// The role that ran `db migrate` (owns the database, has CREATEROLE).
    public let owner: String
    /// The daemon's login created by the migration.
    public let daemonLogin: String
    let baseConninfo: String

    /// Reads the superuser conninfo from the environment, or fails the test with a clear reason.
    public static func superuserConninfo() throws -> String {
        guard let conninfo = ProcessInfo.processInfo.environment["INCLUSION_TEST_DATABASE"], !conninfo.isEmpty else {
            throw TestDatabaseError(
                "INCLUSION_TEST_DATABASE is not set: run the tests with `make test`, which starts a throwaway cluster"
            )
        }
        return conninfo
    }

    /// Drops any leftover database and roles of this suite, creates the owner and the database, and migrates.
    public static func create(suite: String, on cluster: String? = nil) throws -> TestDatabase {
        let base = try cluster ?? superuserConninfo()
        let name = "t_" + suite.lowercased()
        let owner = name + "_owner"
        let superuser = try Connection(conninfo: base, logger: quietLogger)
        defer { superuser.close() }
        try superuser.query("SET client_min_messages = warning")
        try superuser.query("DROP DATABASE IF EXISTS \(try superuser.quoteIdentifier(name)) WITH (FORCE)")
        // Databases a suite made for itself (named NAME_…) hold grants to its roles: drop them first.
        for row in try superuser.query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [name + "_"]) {
            let extra = try superuser.quoteIdentifier(try row.decode(String.self, 0))
            try superuser.query("DROP DATABASE IF EXISTS \(extra) WITH (FORCE)")
        }
        let leftovers = try superuser.query(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY rolname",
            [name + "_"]
        )
        for row in leftovers {
            try superuser.query("DROP ROLE IF EXISTS \(try superuser.quoteIdentifier(try row.decode(String.self, 0)))")
        }
        try superuser.query("CREATE ROLE \(try superuser.quoteIdentifier(owner)) LOGIN CREATEROLE")
        try superuser.query(
            "CREATE DATABASE \(try superuser.quoteIdentifier(name)) OWNER \(try superuser.quoteIdentifier(owner))"
        )
        let database = TestDatabase(name: name, owner: owner, daemonLogin: name + "_daemon", baseConninfo: base)
        let connection = try database.connect(as: owner)
        defer { connection.close() }
        _ = try Migrator(connection: connection).migrate(rolePrefix: name, daemonLogin: database.daemonLogin)
        return database
    }

    /// A conninfo for this database as `login` (the cluster trusts local socket connections).
    public func conninfo(as login: String) -> String {
        "\(baseConninfo) dbname=\(name) user=\(login)"
    }

    /// A conninfo for this database as the cluster superuser, whom RLS does not bind: only for set-up and for
    /// tampering tests.
    public var superuserConninfo: String { "\(baseConninfo) dbname=\(name)" }

    /// Connects as `login`.
    public func connect(as login: String) throws -> Connection {
        try Connection(conninfo: conninfo(as: login), applicationName: "inclusion-tests", logger: Self.quietLogger)
    }

    /// A login name under this suite's prefix, e.g. `t_isolation_senco_a`.
    public func login(_ suffix: String) -> String { "\(name)_\(suffix)" }

    /// The group role for a kind (admin, senco, staff, readonly, service).
    public func group(_ kind: String) -> String { "\(name)_\(kind)" }

    static let quietLogger: Logger = {
        var logger = Logger(label: "inclusion.tests")
        logger.logLevel = .warning
        return logger
    }()
}

/// Why a database test could not set up.
public struct TestDatabaseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
