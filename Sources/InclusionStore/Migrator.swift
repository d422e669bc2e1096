import Foundation
public import Postgres

/// Applies the embedded migrations in order, each once, each in its own transaction.
///
/// Run by the database owner (who needs CREATEROLE: the first migration creates the group roles and the daemon's
/// login). A session advisory lock keeps two migrators from interleaving; every applied file is recorded with a
/// SHA-256 of its text, and an applied file whose text has changed is refused.
public struct Migrator {
    public let connection: Connection
    public let migrations: [Migration]

    /// The advisory lock key migrators take (an arbitrary constant of this project).
    static let lockKey = 7_263_511

    /// How long `migrate` waits for another migrator's lock before naming the session that holds it.
    public var lockWait: Duration

    public init(connection: Connection, migrations: [Migration] = Migration.embedded, lockWait: Duration = .seconds(30))
    {
        self.connection = connection
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.lockWait = lockWait
    }

    /// Where one migration stands in a database.
    public enum State: String, Sendable, Codable, Equatable {
        case applied
        case pending
        /// Applied, but the file's text has changed since (refused by `migrate`).
        case edited
        /// Applied by a newer build, which knows a migration this one does not.
        case unknown
    }

    /// One migration's state in a database.
    public struct Status: Sendable, Codable, Equatable {
        public let version: Int
        public let name: String
        public let state: State
        public let appliedAt: String?

        enum CodingKeys: String, CodingKey {
            case version, name, state
            case appliedAt = "applied_at"
        }
    }

    /// What `db status` reports.
    public struct Report: Sendable, Codable, Equatable {
        public let version = 1
        public let schemaVersion: Int
        public let buildVersion: Int
        public let servesDaemonsFrom: Int?
        public let rolePrefix: String?
        public let migrations: [Status]
        /// Whether `db harden` has been applied (nil before the first migration).
        public var hardened: Bool?

        enum CodingKeys: String, CodingKey {
            case version, migrations, hardened
            case schemaVersion = "schema_version"
            case buildVersion = "build_version"
            case servesDaemonsFrom = "serves_daemons_from"
            case rolePrefix = "role_prefix"
        }
    }

    /// Applies every pending migration; returns the names applied.
    public func migrate(rolePrefix: String?, daemonLogin: String) throws(StoreError) -> [String] {
        try StoreError.translating {
            try refuseNonOwner()
            try takeMigrationLock()
            defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }

            try connection.query("SET client_min_messages = warning")
            try connection.transaction { connection in
                try connection.query("CREATE SCHEMA IF NOT EXISTS inclusion")
                try connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS inclusion.schema_migration (
                        version     integer PRIMARY KEY,
                        name        text NOT NULL,
                        checksum    text NOT NULL,
                        applied_at  timestamptz NOT NULL DEFAULT now(),
                        applied_by  name NOT NULL DEFAULT session_user
                    )
                    """
                )
                // This database's identity, which marks the roles made for it (see claimRoles).
                try connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS inclusion.deployment (
                        only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                        id          uuid NOT NULL DEFAULT gen_random_uuid(),
                        created_at  timestamptz NOT NULL DEFAULT now()
                    )
                    """
                )
                try connection.query("INSERT INTO inclusion.deployment DEFAULT VALUES ON CONFLICT DO NOTHING")
            }
            let storedPrefix = try currentRolePrefix()
            if let storedPrefix, let rolePrefix, storedPrefix != rolePrefix {
                throw StoreError(
                    .configuration,
                    field: "role-prefix",
                    "this database was set up with role prefix \(storedPrefix); run db migrate with that prefix"
                )
            }
            let prefix = storedPrefix ?? rolePrefix ?? "inclusion"
            guard Self.isName(prefix, maxLength: 40, extra: "_") else {
                throw StoreError.invalid(
                    "role-prefix",
                    "a prefix is up to 40 lower-case letters, digits or underscores"
                )
            }
            guard Self.isName(daemonLogin, maxLength: 63, extra: "_.-") else {
                throw StoreError.invalid("daemon-login", "a login is lower-case letters, digits, '_', '.' or '-'")
            }

            let applied = try appliedChecksums()
            try refuseEdited(applied)
            try claimRoles(prefix: prefix, daemonLogin: daemonLogin)
            var done: [String] = []
            for migration in migrations where applied[migration.version] == nil {
                try connection.transaction { connection in
                    try connection.query("SELECT set_config('inclusion.role_prefix', $1, true)", [prefix])
                    try connection.query("SELECT set_config('inclusion.daemon_login', $1, true)", [daemonLogin])
                    // The embedded migration files are fixed when the program is built (scripts/embed-sql.sh).
                    try connection.executeScript(SQL(trusted: migration.sql))
                    try connection.query(
                        """
                        INSERT INTO inclusion.schema_migration (version, name, checksum)
                        VALUES ($1, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))
                        """,
                        [migration.version, migration.name, migration.sql]
                    )
                }
                done.append(migration.name)
            }
            return done
        }
    }

    /// The applied and pending migrations, and the schema's compatibility declaration.
    public func status() throws(StoreError) -> Report {
        try StoreError.translating {
            let exists = try connection.query("SELECT to_regclass('inclusion.schema_migration') IS NOT NULL AS found")
            guard try exists[0].decode(Bool.self, "found") else {
                return Report(
                    schemaVersion: 0,
                    buildVersion: Migration.currentVersion,
                    servesDaemonsFrom: nil,
                    rolePrefix: nil,
                    migrations: migrations.map {
                        Status(version: $0.version, name: $0.name, state: .pending, appliedAt: nil)
                    }
                )
            }
            let rows = try connection.query(
                """
                SELECT version, name, checksum,
                       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS applied_at
                FROM inclusion.schema_migration ORDER BY version
                """
            )
            var statuses: [Status] = []
            var seen = Set<Int>()
            let checksums = try Dictionary(
                uniqueKeysWithValues: migrations.map { ($0.version, try checksum(of: $0.sql)) }
            )
            for row in rows {
                let version = try row.decode(Int.self, "version")
                seen.insert(version)
                let state: State
                if let expected = checksums[version] {
                    state = expected == (try row.decode(String.self, "checksum")) ? .applied : .edited
                } else {
                    state = .unknown
                }
                statuses.append(
                    Status(
                        version: version,
                        name: try row.decode(String.self, "name"),
                        state: state,
                        appliedAt: try row.decode(String.self, "applied_at")
                    )
                )
            }
            for migration in migrations where !seen.contains(migration.version) {
                statuses.append(
                    Status(version: migration.version, name: migration.name, state: .pending, appliedAt: nil)
                )
            }
            let compatibility = try connection.query(
                """
                SELECT (SELECT max(version) FROM inclusion.schema_migration) AS schema_version,
                       (SELECT value::integer FROM inclusion.setting WHERE key = 'serves_daemons_from')
                           AS serves_daemons_from,
                       (SELECT value FROM inclusion.setting WHERE key = 'role_prefix') AS role_prefix
                """
            )
            var report = Report(
                schemaVersion: try compatibility[0].decode(Int?.self, "schema_version") ?? 0,
                buildVersion: Migration.currentVersion,
                servesDaemonsFrom: try compatibility[0].decode(Int?.self, "serves_daemons_from"),
                rolePrefix: try compatibility[0].decode(String?.self, "role_prefix"),
                migrations: statuses
            )
            report.hardened = try isHardened()
            return report
        }
    }

    /// A lower-case role-name-like word: a letter or "_" first, then letters, digits and `extra`.
    static func isName(_ text: String, maxLength: Int, extra: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= maxLength,
            ("a"..."z").contains(first) || first == "_"
        else { return false }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || extra.unicodeScalars.contains($0)
        }
    }

    /// What `harden()` revokes from PUBLIC in this database: creating large objects, which any login may do by
    /// default (storage no row policy governs). Only a superuser may change these built-in functions' privileges.
    static let hardeningRevokes = [
        "lo_create(oid)", "lo_creat(integer)", "lo_import(text)", "lo_import(text, oid)", "lo_from_bytea(oid, bytea)",
    ]

    /// Closes what only a superuser can close in this database (see ``hardeningRevokes``); returns the functions
    /// revoked. Idempotent. The owner who runs `migrate` cannot do this, so an admin runs it once as the superuser
    /// (`inclusionctl db harden`).
    public func harden() throws(StoreError) -> [String] {
        try StoreError.translating {
            let superuser = try connection.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            guard try superuser.first?.decode(Bool.self, "rolsuper") == true else {
                throw StoreError(
                    .permissionDenied,
                    "db harden changes privileges of PostgreSQL's own functions: run it as a superuser "
                        + "(e.g. sudo -u postgres inclusionctl --database 'dbname=…' db harden)"
                )
            }
            try connection.transaction { connection in
                for function in Self.hardeningRevokes {
                    // Each signature is one of the fixed list above.
                    try connection.query("REVOKE EXECUTE ON FUNCTION pg_catalog.\(SQL(trusted: function)) FROM PUBLIC")
                }
            }
            return Self.hardeningRevokes
        }
    }

    /// Whether `harden()` has been applied: no login may create large objects.
    public func isHardened() throws(StoreError) -> Bool {
        try StoreError.translating {
            try connection.query(
                "SELECT NOT has_function_privilege('public', 'pg_catalog.lo_create(oid)', 'EXECUTE') AS hardened"
            )[0].decode(Bool.self, "hardened")
        }
    }

    /// Takes the migrators' session advisory lock, waiting up to `lockWait`. Any login can take an advisory lock,
    /// so a holder is named instead of waiting forever.
    private func takeMigrationLock() throws {
        let deadline = ContinuousClock.now + lockWait
        while true {
            if try connection.query("SELECT pg_try_advisory_lock($1) AS locked", [Self.lockKey])[0]
                .decode(Bool.self, "locked")
            {
                return
            }
            if ContinuousClock.now >= deadline { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let holder = try connection.query(
            """
            SELECT a.usename::text AS login, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database
                  WHERE datname = current_database())
              AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
            LIMIT 1
            """,
            [Self.lockKey]
        ).first
        let who = try holder.map { row in
            " (login \(try row.decode(String?.self, "login") ?? "unknown"), process \(try row.decode(Int.self, "pid")))"
        }
        throw StoreError(
            .unavailable,
            field: "migration",
            "another session\(who ?? "") holds the migration lock: wait for its migration to finish, or end that "
                + "session (SELECT pg_terminate_backend(PID)) if it is not a migration"
        )
    }

    /// Makes sure the group roles and the daemon's login were made for this database, creating them when missing.
    ///
    /// Roles are cluster-wide, so a role with the same name may belong to another trust's database or to somebody
    /// else. Each role this migrator creates carries a comment naming this database's identity
    /// (`inclusion.deployment`); an existing role without that mark is refused, never adopted. A database migrated
    /// before the marks existed adopts unmarked roles once, when it is upgraded.
    private func claimRoles(prefix: String, daemonLogin: String) throws {
        do {
            try connection.transaction { connection in
                try connection.query("SELECT set_config('inclusion.role_prefix', $1, true)", [prefix])
                try connection.query("SELECT set_config('inclusion.daemon_login', $1, true)", [daemonLogin])
                try connection.query(Self.claimRolesSQL)
            }
        } catch let error as PostgresError where error.sqlState == "IN409" {
            // The message names only roles, never data.
            throw StoreError(.configuration, field: error.column, error.serverMessage ?? "a role is already taken")
        }
    }

    static let claimRolesSQL: SQL = """
        DO $claim$
        DECLARE
            deployment text := (SELECT d.id::text FROM inclusion.deployment d);
            upgrading  boolean := EXISTS (SELECT 1 FROM inclusion.schema_migration WHERE version = 1);
            wanted     record;
            found_role boolean;
            mark       text;
        BEGIN
            FOR wanted IN
                SELECT current_setting('inclusion.role_prefix') || '_' || k AS name, 'group:' || k AS what,
                       false AS login
                FROM unnest(ARRAY['admin', 'senco', 'staff', 'readonly', 'service']) k
                UNION ALL SELECT current_setting('inclusion.daemon_login'), 'daemon', true
            LOOP
                SELECT true, shobj_description(r.oid, 'pg_authid') INTO found_role, mark
                    FROM pg_roles r WHERE r.rolname = wanted.name;
                IF found_role IS NULL THEN
                    IF wanted.login THEN
                        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS',
                            wanted.name);
                    ELSE
                        EXECUTE format('CREATE ROLE %I NOLOGIN', wanted.name);
                    END IF;
                ELSIF starts_with(coalesce(mark, ''), 'inclusiond:' || deployment || ':' || wanted.what || ' ') THEN
                    CONTINUE;
                ELSIF NOT (mark IS NULL AND upgrading) THEN
                    RAISE EXCEPTION '%', format('the role %s already exists and was not created for this database '
                        '(it belongs to another trust sharing the cluster, or to someone else): choose another %s',
                        wanted.name, CASE WHEN wanted.login THEN '--daemon-login' ELSE '--role-prefix' END)
                        USING ERRCODE = 'IN409', COLUMN = CASE WHEN wanted.login THEN 'daemon-login'
                                                                ELSE 'role-prefix' END;
                END IF;
                EXECUTE format('COMMENT ON ROLE %I IS %L', wanted.name, 'inclusiond:' || deployment || ':'
                    || wanted.what || ' (made by inclusionctl db migrate for database ' || current_database() || ')');
                found_role := NULL;
            END LOOP;
        END
        $claim$
        """

    private func refuseNonOwner() throws {
        let owner = try connection.query(
            """
            SELECT d.datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                   OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS owns,
                   (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) AS creates_roles
            FROM pg_database d WHERE d.datname = current_database()
            """
        )
        guard try owner[0].decode(Bool.self, "owns") else {
            throw StoreError(.permissionDenied, "db migrate must be run by the database's owner")
        }
        guard try owner[0].decode(Bool.self, "creates_roles") else {
            throw StoreError(
                .permissionDenied,
                "the database owner needs CREATEROLE to create the group roles (ALTER ROLE … CREATEROLE)"
            )
        }
    }

    private func currentRolePrefix() throws -> String? {
        // Two statements: PostgreSQL resolves every table a statement names before running it.
        let exists = try connection.query("SELECT to_regclass('inclusion.setting') IS NOT NULL AS found")
        guard try exists[0].decode(Bool.self, "found") else { return nil }
        let rows = try connection.query("SELECT value FROM inclusion.setting WHERE key = 'role_prefix'")
        return try rows.first?.decode(String.self, "value")
    }

    private func appliedChecksums() throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM inclusion.schema_migration") {
            applied[try row.decode(Int.self, "version")] = try row.decode(String.self, "checksum")
        }
        return applied
    }

    private func refuseEdited(_ applied: [Int: String]) throws {
        for migration in migrations {
            guard let recorded = applied[migration.version] else { continue }
            if try checksum(of: migration.sql) != recorded {
                throw StoreError(
                    .configuration,
                    field: "migration",
                    "\(migration.name) was changed after it was applied (its checksum differs): restore the applied "
                        + "text and put the change in a new numbered migration"
                )
            }
        }
    }

    private func checksum(of sql: String) throws -> String {
        try connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS checksum", [sql])[0]
            .decode(String.self, "checksum")
    }
}
