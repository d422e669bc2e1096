import Foundation
import InclusionTestSupport
import Postgres
import Testing

@Suite("Leases, signals and recovery")
struct RecoveryTests {
    static func describe(_ harness: DaemonHarness) -> String {
        guard let connection = try? harness.connect() else { return "" }
        let rows = try? connection.query(
            "SELECT id, state, attempt, run_after::text, now()::text, lease_expires_at::text, job FROM inclusion.job_run"
        )
        let jobs = try? connection.query("SELECT name, paused FROM inclusion.job")
        return "\(rows.map { $0.map(\.texts) } ?? []) \(jobs.map { $0.map(\.texts) } ?? [])"
    }

    @Test func aRunHeldByAKilledInstanceIsRescuedAfterItsLeaseAndFinishesOnce() async throws {
        let harness = try DaemonHarness.create(suite: "rescue")
        // Long enough that a test starved of CPU for a while still sees the run in flight before killing its holder.
        let jobs = "  canary: { schedule: \"off\", duration: 20s, lease: 2s, retry-base: 1s, retry-max: 2s }"
        let first = try harness.start(instance: "doomed", config: harness.config(instance: "doomed", jobs: jobs))
        #expect(await first.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(first.log)")
        let run = try harness.requestRun("canary")
        #expect(try await eventually(timeout: .seconds(30)) { try harness.run(run).state == "running" })
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(5))

        let second = try harness.start(instance: "rescuer", config: harness.config(instance: "rescuer", jobs: jobs))
        #expect(
            try await eventually(timeout: .seconds(90)) { try harness.run(run).state == "succeeded" },
            "\(String(describing: try? harness.run(run))) \(Self.describe(harness)) \(second.log.suffix(3000))"
        )
        let finished = try harness.run(run)
        #expect(finished.attempt == 2)
        #expect(finished.instance == "rescuer")
        #expect(second.log.contains("rescued runs whose lease expired"))
        let connection = try harness.connect()
        #expect(try connection.query("SELECT count(*) FROM inclusion.job_run")[0].decode(Int.self, 0) == 1)
        await second.stop()
    }

    @Test func sigtermLetsTheRunInFlightFinishThenExitsZero() async throws {
        let harness = try DaemonHarness.create(suite: "sigterm")
        let daemon = try harness.start(
            instance: "graceful",
            // Long enough that a test task starved of the cooperative pool for a few seconds (a loaded parallel run)
            // still sees the run in flight before it ends.
            config: harness.config(instance: "graceful", jobs: "  canary: { schedule: \"off\", duration: 10s }")
        )
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)))
        let run = try harness.requestRun("canary")
        #expect(try await eventually(timeout: .seconds(30)) { try harness.run(run).state == "running" })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0, "\(daemon.log.suffix(2000))")
        #expect(try harness.run(run).state == "succeeded")
    }

    @Test func sigtermReleasesARunThatOutlastsTheGracePeriod() async throws {
        let harness = try DaemonHarness.create(suite: "release")
        let daemon = try harness.start(
            instance: "impatient",
            config: harness.config(
                instance: "impatient",
                grace: "1s",
                jobs: "  canary: { schedule: \"off\", duration: 30s }"
            )
        )
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)))
        let run = try harness.requestRun("canary")
        #expect(try await eventually(timeout: .seconds(30)) { try harness.run(run).state == "running" })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0, "\(daemon.log.suffix(2000))")
        let released = try harness.run(run)
        #expect(released.state == "pending")
        #expect(released.attempt == 0)
        #expect(daemon.log.contains("run released at shutdown"))
    }

    @Test func systemdHearsReadyWatchdogReloadingAndStopping() async throws {
        let harness = try DaemonHarness.create(suite: "notify")
        let socket = try NotifySocket()
        let daemon = try harness.start(
            instance: "notified",
            config: harness.config(instance: "notified", jobs: ""),
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "1000000"]
        )
        #expect(await socket.waitFor(timeout: .seconds(60)) { $0.hasPrefix("READY=1") } != nil, "\(daemon.log)")
        let pings = await eventually(timeout: .seconds(5)) {
            socket.messages().filter { $0 == "WATCHDOG=1" }.count >= 3
        }
        #expect(pings, "\(socket.messages())")
        let before = socket.messages().count
        daemon.signal(SIGHUP)
        let reloading = await socket.waitFor(timeout: .seconds(10), skipping: before) { $0.hasPrefix("RELOADING=1") }
        #expect(reloading?.contains("MONOTONIC_USEC=") == true, "\(socket.messages())")
        let afterReload = await socket.waitFor(timeout: .seconds(10), skipping: before) { $0.hasPrefix("READY=1") }
        #expect(afterReload != nil)
        daemon.signal(SIGTERM)
        #expect(await socket.waitFor(timeout: .seconds(10)) { $0 == "STOPPING=1" } != nil)
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0)
    }
}
