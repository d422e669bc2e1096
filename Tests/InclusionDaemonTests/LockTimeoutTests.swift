import Foundation
import InclusionDaemon
import InclusionTestSupport
import Logging
import Postgres
import Testing

/// A login holding a lock (a table lock, or one of the project's advisory locks) cannot freeze the daemon: every
/// session sets `lock_timeout`, and a blocked job run fails with a lock timeout and is retried (issue 6, finding 3).
@Suite("Lock timeouts")
struct LockTimeoutTests {
    /// The suite's database, with a SENCO and a governor of one school.
    struct Fixture {
        let harness: DaemonHarness
        let senco: String
        let governor: String
    }

    static let fixture = Result { () throws -> Fixture in
        let harness = try DaemonHarness.create(suite: "locktimeout")
        let owner = try harness.connect()
        defer { owner.close() }
        try owner.query("INSERT INTO inclusion.school (urn, name, la_number) VALUES (100001, 'A', 201)")
        let fixture = Fixture(
            harness: harness,
            senco: harness.database.login("sam"),
            governor: harness.database.login("gov")
        )
        for (login, kind) in [(fixture.senco, "senco"), (fixture.governor, "readonly")] {
            try owner.query("SELECT inclusion.staff_add($1, 'X', $2, ARRAY[1], NULL, NULL)", [login, kind])
        }
        return fixture
    }

    static func session(_ harness: DaemonHarness, lock: ConfigDuration, metrics: DaemonMetrics) -> ConfinedConnection {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return DatabaseSessions.session(
            "test",
            conninfo: harness.database.conninfo(as: harness.database.daemonLogin),
            statementTimeout: ConfigDuration(seconds: 60),
            lockTimeout: lock,
            logger: logger,
            metrics: metrics
        )
    }

    @Test func everyDaemonSessionSetsTheLockTimeout() async throws {
        let harness = try Self.fixture.get().harness
        let session = Self.session(harness, lock: DaemonConfiguration().lockTimeout, metrics: DaemonMetrics())
        let settings = try await session.withConnection { connection in
            let row = try connection.query(
                "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')"
            )[0]
            return [try row.decode(String.self, 0), try row.decode(String.self, 1)]
        }
        #expect(settings == ["5s", "1min"])
        await session.close()
    }

    @Test func anAdvisoryLockHeldByAGovernorFailsTheStatementWithinTheLockTimeout() async throws {
        let fixture = try Self.fixture.get()
        let harness = fixture.harness
        let governor = fixture.governor
        // The audit chain's lock, which every audited write takes: any login can take it too.
        let holder = try harness.database.connect(as: governor)
        defer { holder.close() }
        try holder.query("SELECT pg_advisory_lock(7263512)")
        let metrics = DaemonMetrics()
        let session = Self.session(harness, lock: ConfigDuration(milliseconds: 500), metrics: metrics)
        // Connect first, so the clock below measures the lock wait and not a connection set up on a loaded machine.
        _ = try await session.withConnection { connection in try connection.query("SELECT 1").count }
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await session.withConnection { connection in
                try connection.transaction(.readCommitted) { _ = try $0.query("SELECT pg_advisory_xact_lock(7263512)") }
            }
        }
        let waited = ContinuousClock.now - started
        #expect(error?.sqlState == "55P03")
        #expect(waited >= .milliseconds(450))
        #expect(waited < .seconds(10))
        #expect(metrics.render().contains("inclusiond_database_lock_timeouts_total 1"))
        // The session is still usable, and the lock is granted once released.
        try holder.query("SELECT pg_advisory_unlock(7263512)")
        let granted = try await session.withConnection { connection in
            try connection.transaction(.readCommitted) { _ = try $0.query("SELECT pg_advisory_xact_lock(7263512)") }
            return true
        }
        #expect(granted)
        await session.close()
    }

    @Test func aRunBlockedByALockFailsWithALockTimeoutAndIsRetried() async throws {
        let fixture = try Self.fixture.get()
        let harness = fixture.harness
        let senco = fixture.senco
        let daemon = try harness.start(
            instance: "blocked",
            config: harness.config(instance: "blocked", jobs: ""),
            environment: [
                // Statements may run for a minute; a lock is waited for one second only.
                "DATABASE_STATEMENT_TIMEOUT": "60s", "DATABASE_LOCK_TIMEOUT": "1s",
                "JOBS_REVIEW_SWEEP_MAX_ATTEMPTS": "10", "JOBS_REVIEW_SWEEP_RETRY_BASE": "1s",
                "JOBS_REVIEW_SWEEP_RETRY_MAX": "2s",
            ]
        )
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(daemon.log)")

        // A SENCO may update plans, so may lock their table: the review sweep's read then waits for the lock.
        let holder = try harness.database.connect(as: senco)
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE inclusion.support_plan IN ACCESS EXCLUSIVE MODE")
        let run = try harness.requestRun("review-sweep")
        let owner = try harness.connect()
        defer { owner.close() }
        func lastError() throws -> String? {
            try owner.query("SELECT last_error FROM inclusion.job_run WHERE id = $1", [run])[0].decode(String?.self, 0)
        }
        let failed = try await eventually(timeout: .seconds(20)) { try lastError() != nil }
        #expect(failed, "\(daemon.log.suffix(3000))")
        #expect(try lastError()?.contains("lock timeout") == true, "\(String(describing: try? lastError()))")
        #expect(try harness.run(run).attempt >= 1)
        #expect(try harness.run(run).state != "dead")
        #expect(daemon.log.contains("database lock timeout"))
        let failure = daemon.log.split(separator: "\n").first { line in
            line.contains("run failed") && line.split(separator: " ").contains("run.id=\(run)")
        }
        #expect(failure?.contains("lock timeout") == true, "\(daemon.log.suffix(3000))")
        #expect(failure?.contains("job=review-sweep") == true)

        // Released: the retry succeeds.
        try holder.query("ROLLBACK")
        let succeeded = try await eventually(timeout: .seconds(30)) { try harness.run(run).state == "succeeded" }
        #expect(succeeded, "\(daemon.log.suffix(3000))")
        #expect(try harness.run(run).attempt >= 2)
        await daemon.stop()
    }
}
