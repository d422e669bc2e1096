import Foundation
import InclusionStore
import InclusionTestSupport
import Postgres

/// Helpers for tests that run the real `inclusiond` against a suite's database.
struct DaemonHarness: Sendable {
    let database: TestDatabase
    let admin: String

    static func create(suite: String, on cluster: String? = nil) throws -> DaemonHarness {
        let database = try TestDatabase.create(suite: suite, on: cluster)
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        let admin = database.login("boss")
        try owner.query("SELECT inclusion.staff_add($1, 'Admin', 'admin', NULL, NULL, NULL)", [admin])
        return DaemonHarness(database: database, admin: admin)
    }

    /// Writes a configuration file for one daemon instance connecting as the daemon login.
    func config(
        instance: String,
        extra: String = "",
        grace: String = "30s",
        http: String = "off",
        jobs: String
    ) throws -> String {
        let yaml = """
            database:
              url: "\(database.conninfo(as: database.daemonLogin))"
              start-timeout: 20s
            instance: { name: \(instance), heartbeat: 1s }
            shutdown-grace: \(grace)
            http: { listen: "\(http)" }
            \(extra)
            jobs:
              review-sweep: { schedule: "off" }
              audit-anchor: { schedule: "off" }
            \(jobs)
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "inclusiond-\(instance)-\(UUID().uuidString).yaml"
        ).path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func start(instance: String, config: String, environment: [String: String] = [:]) throws -> DaemonProcess {
        try DaemonProcess(arguments: ["--config", config], environment: environment, name: instance)
    }

    func connect(as login: String? = nil) throws -> Connection {
        try database.connect(as: login ?? database.owner)
    }

    /// The state of a run, read as the owner.
    func run(_ id: Int64) throws -> (state: String, attempt: Int, instance: String?) {
        let connection = try connect()
        defer { connection.close() }
        let row = try connection.query(
            """
            SELECT r.state, r.attempt, i.name FROM inclusion.job_run r
            LEFT JOIN inclusion.daemon_instance i ON i.id = r.instance_id WHERE r.id = $1
            """,
            [id]
        )[0]
        return (try row.decode(String.self, 0), try row.decode(Int.self, 1), try row.decode(String?.self, 2))
    }

    func requestRun(_ job: String) throws -> Int64 {
        let connection = try connect(as: admin)
        defer { connection.close() }
        return try JobStore(connection: connection).requestRun(job: job, asOf: nil)
    }
}
