import Foundation
import InclusionTestSupport
import Postgres
import Testing

@Suite("Exactly-once scheduling across instances")
struct ExactlyOnceTests {
    @Test func threeDaemonsRunEverySlotOnceAndShareTheWork() async throws {
        let harness = try DaemonHarness.create(suite: "once")
        let jobs = "  canary: { schedule: \"every 1s\", duration: 50ms }"
        let daemons = try (1...3).map { index in
            try harness.start(instance: "node-\(index)", config: harness.config(instance: "node-\(index)", jobs: jobs))
        }
        try await Task.sleep(for: .seconds(22))
        let stoppedAt = Date()
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons {
            let status = await daemon.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "exit \(String(describing: status)): \(daemon.log.suffix(2000))")
        }

        let connection = try harness.connect()
        let rows = try connection.query(
            """
            SELECT extract(epoch FROM r.scheduled_for)::bigint, count(*), min(r.state), max(r.state), min(r.instance_id)
            FROM inclusion.job_run r WHERE r.job = 'canary' AND NOT r.manual
            GROUP BY r.scheduled_for ORDER BY r.scheduled_for
            """
        )
        let slots = try rows.map { try $0.decode(Int64.self, 0) }
        #expect(try rows.allSatisfy { try $0.decode(Int.self, 1) == 1 }, "a slot has more than one run")
        #expect(slots.count >= 18, "only \(slots.count) slots in 22 s")
        // None missed: consecutive seconds from the first slot to the last.
        if let first = slots.first, let last = slots.last {
            #expect(slots == Array(first...last), "missing slots: \(Set(first...last).subtracting(slots).sorted())")
        }
        // Every slot due a few seconds before the stop finished, once.
        let settled = try rows.filter { try Double($0.decode(Int64.self, 0)) < stoppedAt.timeIntervalSince1970 - 3 }
        #expect(
            try settled.allSatisfy {
                try $0.decode(String.self, 2) == "succeeded" && $0.decode(String.self, 3) == "succeeded"
            }
        )
        let instances = try connection.query(
            "SELECT count(DISTINCT instance_id) FROM inclusion.job_run WHERE job = 'canary' AND state = 'succeeded'"
        )
        #expect(try instances[0].decode(Int.self, 0) >= 2, "the runs did not spread over instances")
    }
}
