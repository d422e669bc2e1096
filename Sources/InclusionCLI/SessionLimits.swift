import Postgres
import Synchronization

/// The time limits an `inclusionctl` session sets right after connecting, so that a command never waits forever
/// behind a lock another session holds (an open transaction in psql, a stuck job) or runs without end.
///
/// `lock_timeout` bounds each wait for a lock; `statement_timeout` bounds each statement. Both replace the server's
/// own defaults (postgresql.conf, ALTER SYSTEM), but never a value the user or an admin chose for this connection,
/// login or database: one given in the connection string (`options='-c lock_timeout=30s'`), in `PGOPTIONS`, or with
/// `ALTER ROLE … SET` / `ALTER DATABASE … SET` is kept. A nil limit leaves the setting as it is.
struct SessionLimits: Sendable, Equatable {
    /// PostgreSQL interval text for `lock_timeout`, e.g. `10s`.
    var lockTimeout: String?
    /// PostgreSQL interval text for `statement_timeout`, e.g. `5min`.
    var statementTimeout: String?

    /// Every command but those below: 10 s for a lock, 5 minutes for a statement.
    static let standard = SessionLimits(lockTimeout: "10s", statementTimeout: "5min")
    /// `pupil import` and `audit verify`: one statement may merge 250,000 rows or hash the whole audit trail.
    static let bulk = SessionLimits(lockTimeout: "10s", statementTimeout: "1h")
    /// `db migrate`: a second migrator waits for the first (their advisory lock) and a schema change for the
    /// sessions using a table, up to a minute; a migration's statements may take as long as they need.
    static let migration = SessionLimits(lockTimeout: "1min", statementTimeout: nil)

    /// The limits in effect in this process's session, as PostgreSQL prints them (`10s`, `5min`, `0`), read back
    /// after they were set; nil before a connection is made. The error for a lock or statement timeout names them.
    static var current: InEffect? { inEffect.withLock { $0 } }

    private static let inEffect = Mutex<InEffect?>(nil)

    struct InEffect: Sendable, Equatable {
        let lockTimeout: String
        let statementTimeout: String
    }

    /// The settings a session's own configuration made (the connection string or PGOPTIONS: `client`; ALTER ROLE
    /// or ALTER DATABASE: `user`, `database`, `database user`), which inclusionctl keeps.
    static let chosenSources = ["client", "user", "database", "database user", "session"]

    /// Sets the limits on a new session and records what is then in effect.
    func apply(to connection: Connection) throws(PostgresError) {
        try connection.query(
            """
            SELECT set_config(s.name, v.value, false)
            FROM pg_catalog.pg_settings s
            JOIN (VALUES ('lock_timeout', $1::text), ('statement_timeout', $2::text)) v(name, value) ON v.name = s.name
            WHERE v.value IS NOT NULL AND s.source <> ALL ($3::text[])
            """,
            [lockTimeout, statementTimeout, PostgresArray(Self.chosenSources)]
        )
        let row = try connection.query(
            "SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout"
        )[0]
        let inEffect = InEffect(
            lockTimeout: try row.decode(String.self, "lock_timeout"),
            statementTimeout: try row.decode(String.self, "statement_timeout")
        )
        Self.inEffect.withLock { $0 = inEffect }
    }
}
