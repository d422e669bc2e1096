import Foundation
public import Postgres

/// A run claimed by an instance: what the worker needs to run it and to prove it still owns it.
public struct ClaimedRun: Sendable, Equatable {
    public let id: Int64
    public let job: String
    public let scheduledFor: Date
    public let attempt: Int
    public let maxAttempts: Int
    public let manual: Bool
    public let asOf: String?
}

/// Where a job run is in its life (`job_run.state`): claimed runs are `running` under a lease; a run whose attempts
/// are used up is `dead`. The raw values are the column's text, which its CHECK constraint allows, and what
/// `job runs` and `status` print.
public enum JobRunState: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case pending, running, succeeded, dead

    public var description: String { rawValue }
    /// True once the run will not change again.
    public var isFinal: Bool { self == .succeeded || self == .dead }
}

/// One run as `job runs` and `status` print it (DESIGN §8's job-run shape).
public struct JobRunRecord: Codable, Sendable, Equatable {
    public let id: Int64
    public let job: String
    public let scheduledFor: String
    public let instance: String?
    public let state: JobRunState
    public let attempt: Int
    public let manual: Bool
    public let startedAt: String?
    public let finishedAt: String?
    public let lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, job, instance, state, attempt, manual
        case scheduledFor = "scheduled_for"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case lastError = "last_error"
    }
}

/// A daemon instance as `status` prints it.
public struct InstanceRecord: Codable, Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let pid: Int
    public let version: String
    public let startedAt: String
    public let heartbeatAt: String
    public let live: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, pid, version, live
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
    }
}

/// A job as `job list` and `status` print it.
public struct JobRecord: Codable, Sendable, Equatable {
    public let name: String
    public let schedule: String
    public let paused: Bool
    public let lastRun: JobRunRecord?

    enum CodingKeys: String, CodingKey {
        case name, schedule, paused
        case lastRun = "last_run"
    }
}

/// The control plane's tables: instances and heartbeats, jobs, runs and their leases, reload requests. Used by
/// the daemon (as the service login) and by inclusionctl (as an admin).
public struct JobStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    static let timeFormat: SQL = #"'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'"#

    static func rfc3339(_ column: SQL) -> SQL {
        "to_char(\(column) AT TIME ZONE 'UTC', \(timeFormat))"
    }

    /// A Date as PostgreSQL timestamptz text (microsecond precision, UTC).
    static func text(_ date: Date) -> String {
        String(format: "%.6f", date.timeIntervalSince1970)
    }

    // MARK: Instances

    public func registerInstance(name: String, host: String, pid: Int32, version: String, heartbeat: Double)
        throws(StoreError)
        -> Int64
    {
        try StoreError.translating {
            try connection.run(
                """
                INSERT INTO inclusion.daemon_instance (name, host, pid, version, heartbeat_interval)
                VALUES ($1, $2, $3, $4, make_interval(secs => $5::double precision)) RETURNING id
                """,
                [name, host, Int(pid), version, heartbeat]
            )[0].decode(Int64.self, "id")
        }
    }

    public func heartbeat(instance: Int64) throws(StoreError) {
        try connection.run(
            "UPDATE inclusion.daemon_instance SET heartbeat_at = clock_timestamp() WHERE id = $1",
            [instance]
        )
    }

    public func stopInstance(_ instance: Int64) throws(StoreError) {
        try connection.run(
            "UPDATE inclusion.daemon_instance SET stopped_at = clock_timestamp() WHERE id = $1",
            [instance]
        )
    }

    public func instances() throws(StoreError) -> [InstanceRecord] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT id, name, pid, version, \(Self.rfc3339("started_at")) AS started_at,
                       \(Self.rfc3339("heartbeat_at")) AS heartbeat_at, live
                FROM inclusion.daemon_status
                WHERE live OR heartbeat_at > clock_timestamp() - interval '1 day'
                ORDER BY live DESC, heartbeat_at DESC
                """
            ).map { row in
                InstanceRecord(
                    id: try row.decode(Int64.self, "id"),
                    name: try row.decode(String.self, "name"),
                    pid: try row.decode(Int.self, "pid"),
                    version: try row.decode(String.self, "version"),
                    startedAt: try row.decode(String.self, "started_at"),
                    heartbeatAt: try row.decode(String.self, "heartbeat_at"),
                    live: try row.decode(Bool.self, "live")
                )
            }
        }
    }

    public func liveInstanceCount() throws(StoreError) -> Int {
        try StoreError.translating {
            try connection.run("SELECT count(*) AS live FROM inclusion.daemon_status WHERE live")[0]
                .decode(Int.self, "live")
        }
    }

    // MARK: Jobs

    /// Records the jobs an instance runs and their schedules (the last instance to start wins the text).
    public func registerJobs(_ jobs: [(name: String, schedule: String)]) throws(StoreError) {
        try connection.run(
            """
            INSERT INTO inclusion.job (name, schedule)
            SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (name) DO UPDATE SET schedule = EXCLUDED.schedule
                WHERE inclusion.job.schedule IS DISTINCT FROM EXCLUDED.schedule
            """,
            [PostgresArray(jobs.map(\.name)), PostgresArray(jobs.map(\.schedule))]
        )
    }

    /// The names of paused jobs.
    public func pausedJobs() throws(StoreError) -> Set<String> {
        try StoreError.translating {
            Set(
                try connection.run("SELECT name FROM inclusion.job WHERE paused").map {
                    try $0.decode(String.self, "name")
                }
            )
        }
    }

    public func setPaused(_ job: String, _ paused: Bool) throws(StoreError) {
        try connection.run("SELECT inclusion.job_set_paused($1, $2)", [job, paused])
    }

    /// Inserts a run for each slot; a slot another instance already inserted is skipped by the unique slot key.
    /// Returns how many runs this call created.
    @discardableResult
    public func insertSlots(job: String, slots: [Date], maxAttempts: Int) throws(StoreError) -> Int {
        guard !slots.isEmpty else { return 0 }
        return try connection.run(
            """
            INSERT INTO inclusion.job_run (job, scheduled_for, max_attempts, run_after)
            SELECT $1, to_timestamp(s), $3, to_timestamp(s) FROM unnest($2::double precision[]) s
            ON CONFLICT (job, scheduled_for) WHERE NOT manual DO NOTHING
            """,
            [job, PostgresArray(slots.map(Self.text)), maxAttempts]
        ).affectedRows
    }

    /// Requests a manual run (admins); returns its id.
    public func requestRun(job: String, asOf: String?) throws(StoreError) -> Int64 {
        try StoreError.translating {
            try connection.run("SELECT inclusion.job_request_run($1, $2::date) AS id", [job, asOf])[0]
                .decode(Int64.self, "id")
        }
    }

    /// Claims the next due run of one of `jobs` (skipping paused jobs unless the run is manual), under that job's
    /// lease (seconds).
    public func claim(instance: Int64, leases: [String: Double]) throws(StoreError) -> ClaimedRun? {
        try StoreError.translating {
            let names = leases.keys.sorted()
            let rows = try connection.run(
                """
                UPDATE inclusion.job_run r SET state = 'running', attempt = r.attempt + 1, instance_id = $1,
                    lease_expires_at = clock_timestamp() + make_interval(secs => (
                        SELECT l.seconds FROM unnest($2::text[], $3::double precision[]) l(job, seconds) WHERE l.job = r.job)),
                    started_at = clock_timestamp(), finished_at = NULL
                WHERE r.id = (
                    SELECT c.id FROM inclusion.job_run c JOIN inclusion.job j ON j.name = c.job
                    WHERE c.state = 'pending' AND c.run_after <= clock_timestamp() AND c.job = ANY ($2::text[])
                      AND (c.manual OR NOT j.paused)
                    ORDER BY c.run_after, c.id
                    FOR UPDATE OF c SKIP LOCKED
                    LIMIT 1)
                RETURNING r.id, r.job, extract(epoch FROM r.scheduled_for)::double precision AS scheduled_for, r.attempt,
                    r.max_attempts, r.manual, r.as_of
                """,
                [instance, PostgresArray(names), PostgresArray(names.map { String(leases[$0] ?? 30) })]
            )
            guard let row = rows.first else { return nil }
            return ClaimedRun(
                id: try row.decode(Int64.self, "id"),
                job: try row.decode(String.self, "job"),
                scheduledFor: Date(timeIntervalSince1970: try row.decode(Double.self, "scheduled_for")),
                attempt: try row.decode(Int.self, "attempt"),
                maxAttempts: try row.decode(Int.self, "max_attempts"),
                manual: try row.decode(Bool.self, "manual"),
                asOf: try row.decode(String?.self, "as_of")
            )
        }
    }

    /// Extends the lease if this instance and attempt still own the run; false means ownership was lost.
    public func renew(_ run: ClaimedRun, instance: Int64, lease: Double) throws(StoreError) -> Bool {
        try connection.run(
            """
            UPDATE inclusion.job_run SET lease_expires_at = clock_timestamp() + make_interval(secs => $4::double precision)
            WHERE id = $1 AND instance_id = $2 AND attempt = $3 AND state = 'running'
            """,
            [run.id, instance, run.attempt, lease]
        ).affectedRows == 1
    }

    /// Marks the run succeeded, only if this instance and attempt still own it.
    public func succeed(_ run: ClaimedRun, instance: Int64) throws(StoreError) -> Bool {
        try connection.run(
            """
            UPDATE inclusion.job_run SET state = 'succeeded', finished_at = clock_timestamp(),
                lease_expires_at = NULL, last_error = NULL
            WHERE id = $1 AND instance_id = $2 AND attempt = $3 AND state = 'running'
            """,
            [run.id, instance, run.attempt]
        ).affectedRows == 1
    }

    /// Records a failure: retried after `retryAfter` seconds, or dead when the attempts are used up.
    public func fail(_ run: ClaimedRun, instance: Int64, error: String, retryAfter: Double) throws(StoreError) -> Bool {
        try connection.run(
            """
            UPDATE inclusion.job_run SET
                state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'pending' END,
                finished_at = CASE WHEN attempt >= max_attempts THEN clock_timestamp() END,
                run_after = clock_timestamp() + make_interval(secs => $4::double precision),
                lease_expires_at = NULL, last_error = $5
            WHERE id = $1 AND instance_id = $2 AND attempt = $3 AND state = 'running'
            """,
            [run.id, instance, run.attempt, retryAfter, error]
        ).affectedRows == 1
    }

    /// Gives a run back without counting the attempt (graceful shutdown), so another instance takes it at once.
    public func release(_ run: ClaimedRun, instance: Int64) throws(StoreError) -> Bool {
        try connection.run(
            """
            UPDATE inclusion.job_run SET state = 'pending', attempt = attempt - 1,
                lease_expires_at = NULL, started_at = NULL, run_after = clock_timestamp()
            WHERE id = $1 AND instance_id = $2 AND attempt = $3 AND state = 'running'
            """,
            [run.id, instance, run.attempt]
        ).affectedRows == 1
    }

    /// Puts runs whose lease expired (their instance died or stalled) back in the queue with exponential backoff
    /// and jitter, or marks them dead when their attempts are used up. Returns the ids rescued.
    public func rescueExpired(baseDelay: Double, maxDelay: Double) throws(StoreError) -> [Int64] {
        try StoreError.translating {
            try connection.run(
                """
                UPDATE inclusion.job_run SET
                    state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'pending' END,
                    finished_at = CASE WHEN attempt >= max_attempts THEN clock_timestamp() END,
                    run_after = clock_timestamp() + make_interval(secs =>
                        least($2::double precision, $1::double precision * power(2, greatest(attempt - 1, 0)))
                        * (0.5 + random() / 2)),
                    lease_expires_at = NULL, last_error = 'lease expired'
                WHERE state = 'running' AND lease_expires_at < clock_timestamp()
                RETURNING id
                """,
                [baseDelay, maxDelay]
            ).map { try $0.decode(Int64.self, "id") }
        }
    }

    // MARK: Reading runs

    /// The columns of ``JobRunRecord``, named as ``decodeRun(_:)`` reads them (no name clashes with `inclusion.job`'s,
    /// which ``jobs()`` selects beside them).
    static let runColumns: SQL = """
        r.id AS run_id, r.job, \(rfc3339("r.scheduled_for")) AS scheduled_for, i.name AS instance, r.state,
        r.attempt, r.manual, \(rfc3339("r.started_at")) AS started_at, \(rfc3339("r.finished_at")) AS finished_at,
        r.last_error
        """

    static func decodeRun(_ row: Row) throws -> JobRunRecord {
        JobRunRecord(
            id: try row.decode(Int64.self, "run_id"),
            job: try row.decode(String.self, "job"),
            scheduledFor: try row.decode(String.self, "scheduled_for"),
            instance: try row.decode(String?.self, "instance"),
            state: try row.decode(JobRunState.self, "state"),
            attempt: try row.decode(Int.self, "attempt"),
            manual: try row.decode(Bool.self, "manual"),
            startedAt: try row.decode(String?.self, "started_at"),
            finishedAt: try row.decode(String?.self, "finished_at"),
            lastError: try row.decode(String?.self, "last_error")
        )
    }

    public func runs(job: String, limit: Int) throws(StoreError) -> [JobRunRecord] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT \(Self.runColumns) FROM inclusion.job_run r
                LEFT JOIN inclusion.daemon_instance i ON i.id = r.instance_id
                WHERE r.job = $1 ORDER BY r.id DESC LIMIT $2
                """,
                [job, limit]
            ).map { try Self.decodeRun($0) }
        }
    }

    public func run(id: Int64) throws(StoreError) -> JobRunRecord? {
        try StoreError.translating {
            try connection.run(
                """
                SELECT \(Self.runColumns) FROM inclusion.job_run r
                LEFT JOIN inclusion.daemon_instance i ON i.id = r.instance_id
                WHERE r.id = $1
                """,
                [id]
            ).first.map { try Self.decodeRun($0) }
        }
    }

    /// Every known job with its latest run.
    public func jobs() throws(StoreError) -> [JobRecord] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT j.name, j.schedule, j.paused, \(Self.runColumns)
                FROM inclusion.job j
                LEFT JOIN LATERAL (SELECT * FROM inclusion.job_run r WHERE r.job = j.name ORDER BY r.id DESC LIMIT 1) r
                    ON true
                LEFT JOIN inclusion.daemon_instance i ON i.id = r.instance_id
                ORDER BY j.name
                """
            ).map { row in
                JobRecord(
                    name: try row.decode(String.self, "name"),
                    schedule: try row.decode(String.self, "schedule"),
                    paused: try row.decode(Bool.self, "paused"),
                    lastRun: try row.decode(Int64?.self, "run_id") == nil ? nil : try Self.decodeRun(row)
                )
            }
        }
    }

    // MARK: Reloads

    public func requestReload() throws(StoreError) -> Int64 {
        try StoreError.translating {
            try connection.run("SELECT inclusion.request_reload() AS id")[0].decode(Int64.self, "id")
        }
    }

    /// Reload requests made after the instance started that it has not acknowledged.
    public func pendingReloads(instance: Int64) throws(StoreError) -> [Int64] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT c.id FROM inclusion.control_request c, inclusion.daemon_instance i
                WHERE i.id = $1 AND c.requested_at >= i.started_at AND c.kind = 'reload'
                  AND NOT EXISTS (SELECT 1 FROM inclusion.control_ack a WHERE a.request_id = c.id AND a.instance_id = $1)
                ORDER BY c.id
                """,
                [instance]
            ).map { try $0.decode(Int64.self, "id") }
        }
    }

    public func acknowledge(request: Int64, instance: Int64, ok: Bool) throws(StoreError) {
        try connection.run(
            "INSERT INTO inclusion.control_ack (request_id, instance_id, ok) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [request, instance, ok]
        )
    }

    /// (live instances, how many of them acknowledged the request, how many of those failed to reload).
    public func reloadProgress(request: Int64) throws(StoreError) -> (live: Int, acknowledged: Int, failed: Int) {
        try StoreError.translating {
            let row = try connection.run(
                """
                SELECT (SELECT count(*) FROM inclusion.daemon_status WHERE live) AS live,
                       (SELECT count(*) FROM inclusion.control_ack a JOIN inclusion.daemon_status s ON s.id = a.instance_id
                        WHERE a.request_id = $1 AND s.live) AS acknowledged,
                       (SELECT count(*) FROM inclusion.control_ack a WHERE a.request_id = $1 AND NOT a.ok) AS failed
                """,
                [request]
            )[0]
            return (
                try row.decode(Int.self, "live"), try row.decode(Int.self, "acknowledged"),
                try row.decode(Int.self, "failed")
            )
        }
    }
}
