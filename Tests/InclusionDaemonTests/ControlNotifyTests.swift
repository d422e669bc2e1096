import Foundation
import InclusionDaemon
import InclusionTestSupport
import Postgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Any login can NOTIFY `inclusion_control`: a notification only wakes a service to re-read its table, never tells
/// it what to do, and a flood of them costs at most one check per kind per interval (issue 6, finding 9).
@Suite("NOTIFY is a wake-up, never an instruction")
struct ControlNotifyTests {
    @Test func payloadsNameOnlyAKind() {
        #expect(NotifyCoalescer.kind(of: "reload:1") == .reload)
        #expect(NotifyCoalescer.kind(of: "reload:999") == .reload)
        #expect(NotifyCoalescer.kind(of: "run:42") == .run)
        #expect(NotifyCoalescer.kind(of: "job:canary") == .job)
        #expect(NotifyCoalescer.kind(of: "reloadx:1") == nil)
        #expect(NotifyCoalescer.kind(of: "") == nil)
        #expect(NotifyCoalescer.kind(of: "shutdown:now") == nil)
    }

    @Test func aFloodWakesEachKindAtMostOncePerInterval() {
        var coalescer = NotifyCoalescer(interval: .milliseconds(250))
        let start = ContinuousClock.now
        var wakes: [NotifyCoalescer.Kind: Int] = [:]
        // 10,000 reload and 10,000 run notifications over one second, one every 0.1 ms.
        for tick in 0..<10_000 {
            let now = start + .microseconds(tick * 100)
            for kind in [NotifyCoalescer.Kind.reload, .run] where coalescer.receive(kind, at: now) {
                wakes[kind, default: 0] += 1
            }
            for kind in coalescer.due(at: now) { wakes[kind, default: 0] += 1 }
        }
        // Woken at 0, 250, 500 and 750 ms; the notifications after 750 ms are folded into one more wake-up.
        #expect(wakes == [.reload: 4, .run: 4])
        #expect(coalescer.nextDue(after: start + .milliseconds(900)) == .milliseconds(100))
        let early = coalescer.due(at: start + .milliseconds(999))
        #expect(early.isEmpty)
        let last = coalescer.due(at: start + .milliseconds(1000))
        #expect(last == [.run, .reload])
        #expect(coalescer.nextDue(after: start + .milliseconds(1000)) == nil)
    }

    @Test func aNotificationInsideTheIntervalIsDeliveredAtItsEnd() {
        var coalescer = NotifyCoalescer(interval: .milliseconds(250))
        let start = ContinuousClock.now
        var woken: [Bool] = []
        woken.append(coalescer.receive(.job, at: start))
        woken.append(coalescer.receive(.job, at: start + .milliseconds(10)))
        // Another kind has an interval of its own.
        woken.append(coalescer.receive(.run, at: start + .milliseconds(20)))
        #expect(woken == [true, false, true])
        var due: [[NotifyCoalescer.Kind]] = []
        due.append(coalescer.due(at: start + .milliseconds(100)))
        #expect(coalescer.nextDue(after: start + .milliseconds(100)) == .milliseconds(150))
        due.append(coalescer.due(at: start + .milliseconds(260)))
        due.append(coalescer.due(at: start + .milliseconds(300)))
        #expect(due == [[], [.job], []])
        #expect(coalescer.nextDue(after: start + .milliseconds(300)) == nil)
        // Quiet for longer than the interval: the next one wakes at once.
        let again = coalescer.receive(.job, at: start + .milliseconds(600))
        #expect(again)
    }

    @Test func aFloodOfNotifiesFromAnyLoginReloadsNothingButAnAdminRequestStillDoes() async throws {
        let harness = try DaemonHarness.create(suite: "notifyflood")
        let owner = try harness.connect()
        defer { owner.close() }
        try owner.query("INSERT INTO inclusion.school (urn, name, la_number) VALUES (100001, 'A', 201)")
        // A governor: a readonly login, which the group role's CONNECT lets in.
        let governor = harness.database.login("gov")
        try owner.query("SELECT inclusion.staff_add($1, 'G', 'readonly', ARRAY[1], NULL, NULL)", [governor])
        let attacker = try harness.database.connect(as: governor)
        defer { attacker.close() }
        #expect(try attacker.query("SELECT current_user::text")[0].decode(String.self, 0) == governor)

        let metrics = MetricsScrape(port: MetricsScrape.port())
        let config = try harness.config(
            instance: "flooded",
            http: "127.0.0.1:\(metrics.port)",
            jobs: "  canary: { schedule: \"off\", duration: 100ms }"
        )
        let daemon = try harness.start(instance: "flooded", config: config)
        #expect(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(daemon.log)")

        // Wait until the listener hears: probes of a kind the daemon ignores.
        var heard = false
        for _ in 0..<100 where !heard {
            try attacker.query("SELECT pg_notify('inclusion_control', 'probe:1')")
            try await Task.sleep(for: .milliseconds(200))
            heard = (await metrics.value("inclusiond_control_notifications_total") ?? 0) >= 1
        }
        #expect(heard, "\(daemon.log.suffix(2000))")
        try await Task.sleep(for: .milliseconds(500))
        let before = await metrics.value("inclusiond_control_notifications_total") ?? 0
        func wakeups(_ kind: String) async -> Double {
            await metrics.value("inclusiond_control_wakeups_total", "kind=\"\(kind)\"") ?? -1
        }
        let reloadWakeupsBefore = await wakeups("reload")
        let runWakeupsBefore = await wakeups("run")

        // The flood: 40 transactions of 600 distinct payloads (reload:1 … reload:8000 among them, reload:999 too).
        let started = ContinuousClock.now
        var sent = 0
        for batch in 0..<40 {
            let result = try attacker.query(
                """
                SELECT count(pg_notify('inclusion_control', k || ':' || g))
                FROM generate_series($1::integer, $2::integer) g, unnest(ARRAY['reload', 'run', 'job']) k
                """,
                [batch * 200 + 1, batch * 200 + 200]
            )
            sent += try result[0].decode(Int.self, 0)
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(sent == 24_000)
        var total = before
        for _ in 0..<150 where total < before + Double(sent) {
            try await Task.sleep(for: .milliseconds(200))
            total = await metrics.value("inclusiond_control_notifications_total") ?? total
        }
        #expect(total == before + Double(sent), "\(daemon.log.suffix(2000))")
        // Deferred wake-ups fall due within one interval of the last notification.
        try await Task.sleep(for: .milliseconds(600))
        let span = ContinuousClock.now - started
        let bound = span / .milliseconds(250) + 2

        // Nothing reloaded, nothing ran, nothing acknowledged: the reloader looked, found no request, did nothing.
        #expect(await metrics.value("inclusiond_configuration_reloads_total", #"trigger="request",outcome="ok""#) == 0)
        #expect(await metrics.value("inclusiond_configuration_reloads_total", #"trigger="signal",outcome="ok""#) == 0)
        #expect(!daemon.log.contains("configuration reloaded"))
        #expect(daemon.log.contains("no reload request is recorded: nothing to do"))
        #expect(try owner.query("SELECT count(*) FROM inclusion.job_run")[0].decode(Int.self, 0) == 0)
        #expect(try owner.query("SELECT count(*) FROM inclusion.control_ack")[0].decode(Int.self, 0) == 0)

        // Coalesced: 24,000 notifications cost a handful of checks, at most one per kind per 250 ms.
        let reloadChecks = await wakeups("reload") - reloadWakeupsBefore
        let runChecks = await wakeups("run") - runWakeupsBefore
        print("flood: \(sent) notifications in \(span), \(reloadChecks) reload checks, \(runChecks) run checks")
        #expect(reloadChecks >= 1)
        #expect(reloadChecks <= bound)
        #expect(runChecks >= 1)
        #expect(runChecks <= bound)

        // An admin's recorded request still reloads every daemon, and is acknowledged.
        let cli = try CommandRunner.inclusionctl()
        let reload = try cli.run(["--database", harness.database.conninfo(as: harness.admin), "reload", "--json"])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(try reload.json()["acknowledged"] as? Int == 1)
        #expect(await daemon.waitForLog("configuration reloaded", timeout: .seconds(10)))
        #expect(daemon.log.contains("reload.trigger=request"))
        #expect(await metrics.value("inclusiond_configuration_reloads_total", #"trigger="request",outcome="ok""#) == 1)
        #expect(try owner.query("SELECT count(*) FROM inclusion.control_ack WHERE ok")[0].decode(Int.self, 0) == 1)

        // SIGHUP reloads directly.
        daemon.signal(SIGHUP)
        let hangup = await eventually(timeout: .seconds(10)) { daemon.log.contains("reload.trigger=signal") }
        #expect(hangup)
        #expect(await metrics.value("inclusiond_configuration_reloads_total", #"trigger="signal",outcome="ok""#) == 1)
        await daemon.stop()
    }
}
