import Foundation
import InclusionTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A private cluster for this suite alone: crashing the shared one would break every other suite.
@Suite("PostgreSQL restarts under the daemon", .serialized)
struct PostgresRestartTests {
    static let directory = "/tmp/inclusiond-pgr"
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs scripts/pg-cluster.sh. Through system(3), not Process: the script leaves a postmaster running, and
    /// Foundation's Process on Linux was seen never to report the script's own exit in that case.
    static func cluster(_ arguments: [String]) throws {
        let script = root.appendingPathComponent("scripts/pg-cluster.sh").path
        let status = system("bash \(script) \(arguments.joined(separator: " ")) >/dev/null 2>&1")
        guard status == 0 else { throw TestDatabaseError("pg-cluster.sh \(arguments) exited \(status)") }
    }

    @Test func theDaemonReconnectsAfterACrashAndWaitsForALateStart() async throws {
        try Self.cluster(["stop", "--throwaway", Self.directory])
        try Self.cluster(["start", "--throwaway", Self.directory])
        defer { try? Self.cluster(["stop", "--throwaway", Self.directory]) }
        let harness = try DaemonHarness.create(
            suite: "pgrestart",
            on: "host=\(Self.directory) user=postgres dbname=postgres"
        )
        let config = try harness.config(
            instance: "survivor",
            jobs: "  canary: { schedule: \"every 1s\", duration: 10ms }"
        )
        let daemon = try harness.start(instance: "survivor", config: config)
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(daemon.log)")
        func succeededSince(_ since: Date) throws -> Int {
            let connection = try harness.connect()
            defer { connection.close() }
            return try connection.query(
                "SELECT count(*) FROM inclusion.job_run WHERE state = 'succeeded' AND scheduled_for > to_timestamp($1)",
                [since.timeIntervalSince1970]
            )[0].decode(Int.self, 0)
        }
        #expect(try await eventually(timeout: .seconds(30)) { try succeededSince(.distantPast) >= 3 })

        // Crash: immediate stop (no checkpoint, connections cut), then start again.
        try Self.cluster(["crash", Self.directory])
        let restarted = Date()
        #expect(
            try await eventually(timeout: .seconds(30)) { try succeededSince(restarted) >= 3 },
            "\(daemon.log.suffix(3000))"
        )
        #expect(daemon.process.isRunning)
        #expect(daemon.log.contains("reconnected to PostgreSQL"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0)
        #expect(!daemon.log.contains("Fatal error"))

        // Started before PostgreSQL: it waits, then becomes ready.
        try Self.cluster(["halt", Self.directory])
        let socket = try NotifySocket()
        let early = try harness.start(instance: "early", config: config, environment: ["NOTIFY_SOCKET": socket.path])
        #expect(await early.waitForLog("waiting for PostgreSQL", timeout: .seconds(10)))
        #expect(socket.messages().allSatisfy { !$0.hasPrefix("READY=1") })
        try Self.cluster(["resume", Self.directory])
        #expect(await socket.waitFor(timeout: .seconds(30)) { $0.hasPrefix("READY=1") } != nil, "\(early.log)")
        await early.stop()
    }
}
