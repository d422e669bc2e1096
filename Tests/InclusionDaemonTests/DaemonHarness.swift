import Foundation
import InclusionStore
import InclusionTestSupport
import Postgres

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
              digest: { schedule: "off" }
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

/// Reads a daemon's Prometheus metrics on loopback.
struct MetricsScrape {
    let port: Int

    /// A free loopback port in the range the tests use.
    static func port() -> Int { Int.random(in: 20_000..<40_000) }

    /// The text of /metrics, or nil while the endpoint does not answer.
    func text() async -> String? {
        guard let url = URL(string: "http://127.0.0.1:\(port)/metrics"),
            let (data, response) = try? await URLSession.shared.data(from: url),
            (response as? HTTPURLResponse)?.statusCode == 200
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The value of one sample, e.g. `value("inclusiond_control_wakeups_total", #"kind="reload""#)`; nil when the
    /// endpoint does not answer or has no such sample.
    func value(_ name: String, _ labels: String? = nil) async -> Double? {
        guard let text = await text() else { return nil }
        return Self.value(in: text, name, labels)
    }

    static func value(in text: String, _ name: String, _ labels: String? = nil) -> Double? {
        let prefix = name + (labels.map { "{\($0)}" } ?? "") + " "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return Double(line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces))
    }
}
