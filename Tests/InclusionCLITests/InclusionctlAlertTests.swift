import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// `alert …` and `status`'s open alerts through the built `inclusionctl`, as a SENCO, a TA, a governor and an admin,
/// after the review sweep (run as the daemon's login) has raised alerts.
@Suite("inclusionctl alert", .serialized)
struct InclusionctlAlertTests {
    struct World: Sendable {
        let database: TestDatabase
        let cli: CommandRunner

        func run(as login: String, _ arguments: [String]) throws -> CommandRunner.Result {
            try cli.run(["--database", database.conninfo(as: database.login(login))] + arguments)
        }

        func json(as login: String, _ arguments: [String]) throws -> [String: Any] {
            let result = try run(as: login, arguments + ["--json"])
            guard result.status == 0 else {
                throw TestDatabaseError("\(arguments) exited \(result.status): \(result.stderr)")
            }
            return try result.json()
        }
    }

    static let upn = InclusionctlBlackBoxTests.upn("402100000001")

    static let world = Result { () throws -> World in
        let database = try TestDatabase.create(suite: "clialerts")
        let cli = try CommandRunner.inclusionctl()
        func setUp(_ arguments: [String]) throws {
            let result = try cli.run(["--database", database.conninfo(as: database.owner)] + arguments)
            guard result.status == 0 else { throw TestDatabaseError("set-up failed: \(arguments) \(result.stderr)") }
        }
        try setUp(["school", "add", "--urn", "100001", "--name", "Oakfield Primary", "--la", "201"])
        try setUp(["staff", "add", "--login", database.login("ada"), "--name", "Ada", "--role", "admin"])
        for (login, role) in [("sam", "senco"), ("tia", "staff"), ("gov", "readonly")] {
            try setUp([
                "staff", "add", "--login", database.login(login), "--name", login, "--role", role, "--school", "100001",
            ])
        }
        try setUp([
            "pupil", "add", "--school", "100001", "--upn", upn, "--given", "Pat", "--family", "Alerted",
            "--dob", "2016-05-04", "--year", "5", "--sen", "K",
        ])
        // SEN support since today with no plan: sen-without-plan once the 28 days' grace are over; and the school
        // has no term dates.
        let service = try database.connect(as: database.daemonLogin)
        defer { service.close() }
        let asOf = try Day(iso: InclusionctlBoundaryTests.today(adding: 40))
        let summary = try AlertSweep(connection: service).run(asOf: asOf)
        guard summary.raised == 2 else { throw TestDatabaseError("the sweep raised \(summary)") }
        return World(database: database, cli: cli)
    }

    @Test func aSENCOListsShowsAndAnswersAlertsAndEachStepIsInTheHistory() throws {
        let world = try Self.world.get()
        let all = try #require(try world.json(as: "sam", ["alert", "list"])["items"] as? [[String: Any]])
        #expect(Set(all.compactMap { $0["rule"] as? String }) == ["sen-without-plan", "term-dates-missing"])
        let listed = try #require(
            try world.json(as: "sam", ["alert", "list", "--rule", "sen-without-plan"])["items"] as? [[String: Any]]
        )
        #expect(listed.count == 1)
        let alert = try #require(listed.first)
        #expect(
            Set(alert.keys)
                == [
                    "id", "rule", "upn", "school_urn", "subject_type", "subject_id", "due_on", "severity", "state",
                    "raised_at",
                ]
        )
        #expect(alert["upn"] as? String == Self.upn)
        #expect(alert["school_urn"] as? Int == 100001)
        #expect(alert["subject_type"] as? String == "pupil")
        #expect(alert["severity"] as? String == "warning")
        #expect(alert["state"] as? String == "open")
        let id = String(try #require(alert["id"] as? Int))

        // A TA may read it but not answer it; a governor may not read alerts at all.
        #expect(try world.run(as: "tia", ["alert", "list"]).status == 0)
        #expect(try world.run(as: "tia", ["alert", "ack", id]).status == 77)
        #expect(try world.run(as: "gov", ["alert", "list"]).status == 77)

        let until = InclusionctlBoundaryTests.today(adding: 3)
        #expect(try world.run(as: "sam", ["alert", "ack", id, "--note", "Plan meeting booked"]).status == 0)
        #expect(try world.run(as: "sam", ["alert", "snooze", id, "--until", until]).status == 0)
        let snoozed = try world.json(as: "sam", ["alert", "show", id])
        #expect(snoozed["state"] as? String == "snoozed")
        #expect(snoozed["snoozed_until"] as? String == until)
        let history = try #require(snoozed["history"] as? [[String: Any]])
        #expect(history.compactMap { $0["action"] as? String } == ["raised", "acknowledged", "snoozed"])
        #expect(history.compactMap { $0["actor"] as? String }.last == world.database.login("sam"))
        #expect(history[1]["reason"] as? String == "Plan meeting booked")

        #expect(try world.run(as: "sam", ["alert", "resolve", id, "--reason", "Plan written"]).status == 0)
        let again = try world.run(as: "sam", ["alert", "resolve", id, "--reason", "again", "--json"])
        #expect(again.status == 65)
        #expect(try again.errorJSON()["message"] as? String == "alert \(id) is already resolved")
        let resolved = try #require(
            try world.json(as: "sam", ["alert", "list", "--state", "resolved"])["items"] as? [[String: Any]]
        )
        #expect(resolved.compactMap { $0["id"] as? Int }.map(String.init) == [id])
    }

    @Test func reviewListShowsEachPlansDueDayAndWhatIsOverdue() throws {
        let world = try Self.world.get()
        let (support, ehcp) = (
            InclusionctlBlackBoxTests.upn("402100000002"), InclusionctlBlackBoxTests.upn("402100000003")
        )
        for upn in [support, ehcp] {
            let added = try world.run(
                as: "sam",
                [
                    "pupil", "add", "--school", "100001", "--upn", upn, "--given", "Lee", "--family", "Reviewed",
                    "--dob", "2016-05-04", "--year", "5", "--sen", upn == ehcp ? "E" : "K",
                ]
            )
            #expect(added.status == 0, "\(added.stderr)")
        }
        let supportPlan =
            try world.json(
                as: "sam",
                [
                    "plan", "create", support, "--kind", "sen-support", "--starts",
                    InclusionctlBoundaryTests.today(adding: -10),
                    "--review-every", "4w",
                ]
            )["id"] as? Int
        let issued = InclusionctlBoundaryTests.today(adding: -366)
        let ehcpPlan =
            try world.json(
                as: "sam",
                [
                    "plan", "create", ehcp, "--kind", "ehcp", "--starts", issued, "--issued", issued, "--issuing-la",
                    "Oakshire",
                ]
            )["id"] as? Int
        func listed(_ extra: [String]) throws -> [[String: Any]] {
            try #require(try world.json(as: "sam", ["review", "list"] + extra)["items"] as? [[String: Any]])
        }
        let all = try listed([])
        #expect(all.compactMap { $0["plan"] as? Int } == [ehcpPlan, supportPlan].compactMap { $0 })
        #expect(all.first?["overdue"] as? Bool == true)
        #expect(all.last?["due_on"] as? String == InclusionctlBoundaryTests.today(adding: 18))
        #expect(Set(all.last?.keys ?? [:].keys) == ["plan", "upn", "school_urn", "kind", "due_on", "overdue"])
        #expect(try listed(["--overdue"]).compactMap { $0["plan"] as? Int } == [ehcpPlan].compactMap { $0 })
        #expect(try listed(["--due-within", "7"]).count == 1)
        #expect(try listed(["--due-within", "30"]).count == 2)
        // As of a day before the EHCP's last day, nothing is overdue.
        #expect(try listed(["--overdue", "--as-of", InclusionctlBoundaryTests.today(adding: -30)]).isEmpty)
        #expect(try world.run(as: "sam", ["review", "list", "--due-within", "-1"]).status == 64)
    }

    @Test func rulesStatusAndBadChoices() throws {
        let world = try Self.world.get()
        let rules = try #require(try world.json(as: "sam", ["alert", "rules"])["items"] as? [[String: Any]])
        #expect(rules.count == 18)
        let annual = try #require(rules.first { $0["name"] as? String == "ehcp-annual-review-overdue" })
        #expect(annual["severity"] as? String == "critical")
        #expect((annual["source"] as? String)?.contains("s44") == true)

        // status counts what alert list shows (the other test may have resolved one meanwhile).
        let open = try #require(try world.json(as: "ada", ["alert", "list"])["items"] as? [[String: Any]])
        let status = try world.run(as: "ada", ["status", "--json"])
        let counts = try #require(try status.json()["open_alerts"] as? [String: Int])
        #expect(counts["warning"] == open.filter { $0["severity"] as? String == "warning" }.count)
        #expect(counts["warning"] ?? 0 >= 1)
        #expect(counts["info"] == 0)
        #expect(counts["critical"] == 0)

        #expect(try world.run(as: "sam", ["alert", "list", "--rule", "no-such-rule"]).status == 64)
        #expect(try world.run(as: "sam", ["alert", "list", "--state", "lost"]).status == 64)
        #expect(try world.run(as: "sam", ["alert", "show", "999999"]).status == 66)
    }
}
