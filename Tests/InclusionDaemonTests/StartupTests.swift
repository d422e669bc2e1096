import Foundation
import InclusionTestSupport
import Logging
import Postgres
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("Start-up checks and exit codes")
struct StartupTests {
    static let harness = Result { try DaemonHarness.create(suite: "startup") }

    @Test func aSuperuserIsRefusedWithExit78() async throws {
        let harness = try Self.harness.get()
        let daemon = try DaemonProcess(
            arguments: [
                "--config", try harness.config(instance: "root", jobs: ""), "--database",
                harness.database.superuserConninfo,
            ],
            name: "root"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 78)
        #expect(daemon.log.contains("refusing to run as a superuser"))
    }

    @Test func theSchemaOwnerIsRefusedWithExit78() async throws {
        let harness = try Self.harness.get()
        let daemon = try DaemonProcess(
            arguments: [
                "--config", try harness.config(instance: "owner", jobs: ""), "--database",
                harness.database.conninfo(as: harness.database.owner),
            ],
            name: "owner"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 78, "\(daemon.log)")
        #expect(daemon.log.contains("refusing to run as the schema owner"), "\(daemon.log)")
        #expect(daemon.log.contains("\(harness.database.owner) owns schema inclusion"))
        #expect(!daemon.log.contains("inclusiond ready"))
    }

    @Test func theSchemaOwnerRunsOnlyWithAllowSuperuserAndSaysSoLoudly() async throws {
        let harness = try Self.harness.get()
        let daemon = try DaemonProcess(
            arguments: [
                "--config", try harness.config(instance: "owner-dev", jobs: ""), "--database",
                harness.database.conninfo(as: harness.database.owner),
            ],
            environment: ["DATABASE_ALLOW_SUPERUSER": "true"],
            name: "owner-dev"
        )
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(daemon.log)")
        let loud = daemon.log.split(separator: "\n").first { $0.contains("RUNNING AS THE SCHEMA OWNER") }
        #expect(loud?.hasPrefix("<2>") == true, "\(daemon.log)")
        await daemon.stop()
    }

    @Test func aDatabaseWithoutTheSchemaIsRefusedWithExit78() async throws {
        let harness = try Self.harness.get()
        let superuser = try Connection(conninfo: try TestDatabase.superuserConninfo(), logger: .init(label: "t"))
        try superuser.query("DROP DATABASE IF EXISTS t_startup_empty WITH (FORCE)")
        try superuser.query("CREATE DATABASE t_startup_empty")
        try superuser.query(
            "GRANT CONNECT ON DATABASE t_startup_empty TO \(try superuser.quoteIdentifier(harness.database.daemonLogin))"
        )
        let conninfo =
            "\(try TestDatabase.superuserConninfo()) dbname=t_startup_empty user=\(harness.database.daemonLogin)"
        let daemon = try DaemonProcess(
            arguments: ["--config", try harness.config(instance: "old", jobs: ""), "--database", conninfo],
            name: "old"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 78)
        #expect(daemon.log.contains("inclusionctl db migrate"), "\(daemon.log)")
    }

    @Test func anUnreachableDatabaseExits69AfterTheStartTimeout() async throws {
        let harness = try Self.harness.get()
        let config = try harness.config(instance: "lonely", extra: "", jobs: "")
        let daemon = try DaemonProcess(
            arguments: ["--config", config, "--database", "host=/nonexistent-dir dbname=x"],
            environment: ["DATABASE_START_TIMEOUT": "2s"],
            name: "lonely"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 69, "\(daemon.log)")
        #expect(daemon.log.contains("waiting for PostgreSQL"))
    }

    @Test func checkConfigNamesAMisspeltKeyAndExits78() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        try "instance: { heartbaet: 5s }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(arguments: ["--check-config", "--config", path], name: "check")
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 78)
        #expect(daemon.log.contains("instance.heartbaet"))
        #expect(daemon.log.contains("did you mean instance.heartbeat?"))

        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let good = try DaemonProcess(
            arguments: ["--check-config", "--config", root.appendingPathComponent("config/inclusiond.yaml").path],
            name: "check-good"
        )
        #expect(await good.waitForExit(timeout: .seconds(60)) == 0)
        #expect(good.log.contains("configuration OK"))
    }

    @Test func runOnceRunsAJobAsOfADayAndExits() async throws {
        let harness = try Self.harness.get()
        let daemon = try DaemonProcess(
            arguments: [
                "--config", try harness.config(instance: "once", jobs: ""), "--run-once", "review-sweep", "--as-of",
                "2027-02-01",
            ],
            name: "once"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0, "\(daemon.log)")
        #expect(daemon.log.contains("sweep.as_of=2027-02-01"))
    }

    @Test func healthAndMetricsAnswerOnLoopback() async throws {
        let harness = try Self.harness.get()
        let port = Int.random(in: 20_000..<40_000)
        let daemon = try harness.start(
            instance: "http",
            config: try harness.config(instance: "http", http: "127.0.0.1:\(port)", jobs: "")
        )
        #expect(await daemon.waitForLog("health and metrics listening", timeout: .seconds(60)), "\(daemon.log)")
        func get(_ path: String) async throws -> (Int, String) {
            let (data, response) = try await URLSession.shared.data(
                from: URL(string: "http://127.0.0.1:\(port)\(path)")!
            )
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        // The scheduler loop has to have run for /healthz to say ok.
        var health = try await get("/healthz")
        for _ in 0..<50 where health.0 != 200 {
            try await Task.sleep(for: .milliseconds(200))
            health = try await get("/healthz")
        }
        #expect(health.0 == 200)
        #expect(health.1 == "ok\n")
        let metrics = try await get("/metrics")
        #expect(metrics.0 == 200)
        #expect(metrics.1.contains("# TYPE inclusiond_lease_rescues_total counter"))
        #expect(metrics.1.contains("inclusiond_database_reconnects_total"))
        #expect(try await get("/nowhere").0 == 404)
        await daemon.stop()
    }
}
