import Foundation
import InclusionTestSupport
import Postgres
import Testing

/// `inclusionctl status`, `job …` and `reload` against real daemons, as an admin login.
@Suite("inclusionctl controls the daemons", .serialized)
struct ControlPlaneTests {
    @Test func statusJobRunAndReloadFollowTheContract() async throws {
        let harness = try DaemonHarness.create(suite: "control")
        let cli = try CommandRunner.inclusionctl()
        func ctl(_ arguments: [String]) throws -> CommandRunner.Result {
            try cli.run(["--database", harness.database.conninfo(as: harness.admin)] + arguments)
        }

        // No daemon yet: status exits 3, job run --wait exits 3.
        let idle = try ctl(["status", "--json"])
        #expect(idle.status == 3)
        let idleJSON = try idle.json()
        #expect(idleJSON["version"] as? Int == 1)
        #expect((idleJSON["instances"] as? [Any])?.isEmpty == true)

        let config = try harness.config(
            instance: "ctl-1",
            jobs: "  canary: { schedule: \"off\", duration: 200ms, max-attempts: 1 }"
        )
        let daemon = try harness.start(instance: "ctl-1", config: config)
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(daemon.log)")

        let status = try ctl(["status", "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let report = try status.json()
        let instances = try #require(report["instances"] as? [[String: Any]])
        #expect(instances.count == 1)
        #expect(instances[0]["name"] as? String == "ctl-1")
        #expect(instances[0]["live"] as? Bool == true)
        #expect(instances[0]["pid"] as? Int == Int(daemon.pid))
        for key in ["version", "started_at", "heartbeat_at"] { #expect(instances[0][key] != nil, "missing \(key)") }
        let jobs = try #require(report["jobs"] as? [[String: Any]])
        #expect(Set(jobs.compactMap { $0["name"] as? String }) == ["audit-anchor", "canary", "digest", "review-sweep"])
        #expect(report["open_alerts"] as? [String: Int] == ["info": 0, "warning": 0, "critical": 0])

        // A manual run succeeds; NOTIFY wakes the daemon, so it starts quickly.
        let succeeded = try ctl(["job", "run", "canary", "--wait", "--json"])
        #expect(succeeded.status == 0, "\(succeeded.stderr)")
        let run = try succeeded.json()
        #expect(run["job"] as? String == "canary")
        #expect(run["state"] as? String == "succeeded")
        #expect(run["manual"] as? Bool == true)
        #expect(run["instance"] as? String == "ctl-1")
        let latency = try harness.connect().query(
            "SELECT extract(epoch FROM started_at - created_at) FROM inclusion.job_run WHERE manual ORDER BY id DESC LIMIT 1"
        )[0].decode(Double.self, 0)
        print("job run → start latency: \(Int(latency * 1000)) ms")
        #expect(latency < 1.0)

        // Reload to a configuration whose canary fails: reload exits 0, the next run fails (exit 1).
        try (try String(contentsOfFile: config, encoding: .utf8)).replacingOccurrences(
            of: "duration: 200ms",
            with: "duration: 200ms, fail: true"
        )
        .write(toFile: config, atomically: true, encoding: .utf8)
        let reload = try ctl(["reload", "--json"])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(try reload.json()["acknowledged"] as? Int == 1)
        let failed = try ctl(["job", "run", "canary", "--wait"])
        #expect(failed.status == 1, "\(failed.stdout) \(failed.stderr)")
        #expect(failed.stdout.contains("dead"))

        // A bad file is refused and the old configuration kept.
        try "jobs: { canary: { schedul: x } }\n".write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try ctl(["reload"])
        #expect(refused.status == 78)
        #expect(await daemon.waitForLog("reload refused; keeping the old configuration", timeout: .seconds(5)))

        // Pause and resume are persisted for every instance.
        #expect(try ctl(["job", "pause", "canary"]).status == 0)
        let paused = try ctl(["job", "list", "--json"])
        let pausedJobs = try #require(try paused.json()["items"] as? [[String: Any]])
        #expect(pausedJobs.first { $0["name"] as? String == "canary" }?["paused"] as? Bool == true)
        #expect(try ctl(["job", "resume", "canary"]).status == 0)
        let runs = try ctl(["job", "runs", "canary", "--json"])
        #expect((try runs.json()["items"] as? [[String: Any]])?.count == 2)

        await daemon.stop()
        #expect(try ctl(["job", "run", "canary", "--wait"]).status == 3)
        #expect(try ctl(["status"]).status == 3)
        #expect(try ctl(["reload"]).status == 3)
    }

    @Test func onlyAdminsRunJobs() async throws {
        let harness = try DaemonHarness.create(suite: "controlrole")
        let owner = try harness.connect()
        try owner.query("INSERT INTO inclusion.school (urn, name, la_number) VALUES (100001, 'A', 201)")
        let senco = harness.database.login("sam")
        try owner.query("SELECT inclusion.staff_add($1, 'S', 'senco', ARRAY[1], NULL, NULL)", [senco])
        try owner.query("INSERT INTO inclusion.job (name, schedule) VALUES ('canary', 'manual')")
        let cli = try CommandRunner.inclusionctl()
        let refused = try cli.run([
            "--database", harness.database.conninfo(as: senco), "job", "run", "canary", "--json",
        ])
        #expect(refused.status == 77)
        let pause = try cli.run(["--database", harness.database.conninfo(as: senco), "job", "pause", "canary"])
        #expect(pause.status == 77)
    }
}
