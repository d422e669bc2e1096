import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// The local authority's part of an EHC annual review (`review decision`, `review amendment-proposed`, `review
/// amended-issued`), a new review cycle clearing it, and each school's phase-transfer year groups (`school set`),
/// through the built `inclusionctl` as an admin, two SENCOs and a TA; the review sweep runs as the daemon's login.
@Suite("inclusionctl review milestones and school transfers", .serialized)
struct InclusionctlMilestoneTests {
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

        /// The exit status and the error's field of a command that should fail.
        func refusal(as login: String, _ arguments: [String]) throws -> (Int32, String?) {
            let result = try run(as: login, arguments + ["--json"])
            return (result.status, (try? result.errorJSON())?["field"] as? String)
        }

        /// A new EHC plan for a new EHCP pupil of school 100001, issued 200 days ago.
        func ehcPlan(_ body: String) throws -> String {
            let upn = InclusionctlBlackBoxTests.upn(body)
            let added = try run(
                as: "sam",
                [
                    "pupil", "add", "--school", "100001", "--upn", upn, "--given", "Kim", "--family", "Planned",
                    "--dob", "2016-05-04", "--year", "5", "--sen", "E",
                ]
            )
            guard added.status == 0 else { throw TestDatabaseError("pupil add: \(added.stderr)") }
            let issued = day(-200)
            let plan = try json(
                as: "sam",
                [
                    "plan", "create", upn, "--kind", "ehcp", "--starts", issued, "--issued", issued, "--issuing-la",
                    "Oak",
                ]
            )
            return String(try #require(plan["id"] as? Int))
        }

        /// Runs the review sweep as the daemon's login, as of today.
        func sweep() throws {
            let service = try database.connect(as: database.daemonLogin)
            defer { service.close() }
            _ = try AlertSweep(connection: service).run(asOf: try Day(iso: day(0)))
        }

        /// The ids of the plans with an alert of `rule` in `state` (open when nil).
        func alerted(_ rule: String, state: String? = nil) throws -> [Int] {
            let items = try #require(
                try json(as: "sam", ["alert", "list", "--rule", rule] + (state.map { ["--state", $0] } ?? []))["items"]
                    as? [[String: Any]]
            )
            return items.filter { $0["subject_type"] as? String == "plan" }.compactMap { $0["subject_id"] as? Int }
        }
    }

    static func day(_ offset: Int) -> String { InclusionctlBoundaryTests.today(adding: offset) }

    static let world = Result { () throws -> World in
        let database = try TestDatabase.create(suite: "climilestones")
        let cli = try CommandRunner.inclusionctl()
        func setUp(_ arguments: [String]) throws {
            let result = try cli.run(["--database", database.conninfo(as: database.owner)] + arguments)
            guard result.status == 0 else { throw TestDatabaseError("set-up failed: \(arguments) \(result.stderr)") }
        }
        try setUp(["school", "add", "--urn", "100001", "--name", "Oakfield Primary", "--la", "201"])
        try setUp(["school", "add", "--urn", "100002", "--name", "Beech High", "--la", "201"])
        try setUp(["staff", "add", "--login", database.login("ada"), "--name", "Ada", "--role", "admin"])
        for (login, role, school) in [
            ("sam", "senco", "100001"), ("tia", "staff", "100001"), ("sue", "senco", "100002"),
        ] {
            try setUp([
                "staff", "add", "--login", database.login(login), "--name", login, "--role", role, "--school", school,
            ])
        }
        return World(database: database, cli: cli)
    }

    @Test func theLAsDecisionIsRecordedAfterTheMeetingAndResolvesTheDecisionLateAlert() throws {
        let world = try Self.world.get()
        let plan = try world.ehcPlan("402200000001")
        #expect(try world.run(as: "sam", ["review", "meeting", "--plan", plan, "--on", Self.day(-40)]).status == 0)
        #expect(try world.run(as: "sam", ["review", "report-sent", "--plan", plan, "--on", Self.day(-35)]).status == 0)
        let before = try world.json(as: "sam", ["plan", "show", plan])
        #expect(before["la_decision"] == nil)
        #expect(before["la_decision_on"] == nil)

        // The meeting was 40 days ago: the LA's decision was due 12 days ago.
        try world.sweep()
        #expect(try world.alerted("ehcp-review-decision-late") == [Int(plan)].compactMap { $0 })

        // Refusals: before the meeting, in the future, another school's SENCO, a TA, a bad choice.
        let decide = ["review", "decision", "--plan", plan, "--to", "amend", "--on"]
        #expect(try world.refusal(as: "sam", decide + [Self.day(-41)]) == (65, "on"))
        #expect(try world.refusal(as: "sam", decide + [Self.day(1)]) == (65, "on"))
        #expect(try world.refusal(as: "sue", decide + [Self.day(-20)]).0 == 66)
        #expect(try world.refusal(as: "tia", decide + [Self.day(-20)]).0 == 77)
        #expect(
            try world.run(as: "sam", ["review", "decision", "--plan", plan, "--on", Self.day(-20), "--to", "maybe"])
                .status == 64
        )
        let unchanged = try world.json(as: "sam", ["plan", "show", plan])
        #expect(unchanged["la_decision"] == nil)

        let recorded = try world.json(as: "sam", decide + [Self.day(-20)])
        #expect(recorded["id"] as? Int == Int(plan))
        #expect(recorded["ok"] as? Bool == true)
        let shown = try world.json(as: "sam", ["plan", "show", plan])
        #expect(shown["la_decision"] as? String == "amend")
        #expect(shown["la_decision_on"] as? String == Self.day(-20))
        #expect(shown["review_meeting_on"] as? String == Self.day(-40))
        let text = try world.run(as: "sam", ["plan", "show", plan])
        #expect(text.stdout.contains("LA decision: amend on \(Self.day(-20))"))

        // The decision was recorded the day of the meeting at the earliest, so the alert resolves.
        try world.sweep()
        #expect(try world.alerted("ehcp-review-decision-late").isEmpty)
        #expect(try world.alerted("ehcp-review-decision-late", state: "resolved") == [Int(plan)].compactMap { $0 })
    }

    @Test func amendmentsAreProposedThenIssuedAndTheAmendmentLateAlertResolves() throws {
        let world = try Self.world.get()
        let plan = try world.ehcPlan("402200000002")
        let proposed = ["review", "amendment-proposed", "--plan", plan, "--on"]
        let issued = ["review", "amended-issued", "--plan", plan, "--on"]
        #expect(try world.refusal(as: "sam", proposed + [Self.day(1)]) == (65, "on"))
        #expect(try world.refusal(as: "sue", proposed + [Self.day(-70)]).0 == 66)
        #expect(try world.run(as: "sam", proposed + [Self.day(-70)]).status == 0)

        // Proposed 70 days ago: the amended plan was due 8 weeks after, 14 days ago.
        try world.sweep()
        #expect(try world.alerted("ehcp-amendment-late") == [Int(plan)].compactMap { $0 })

        #expect(try world.refusal(as: "sam", issued + [Self.day(-71)]) == (65, "on"))
        #expect(try world.refusal(as: "sam", issued + [Self.day(1)]) == (65, "on"))
        #expect(try world.refusal(as: "tia", issued + [Self.day(-10)]).0 == 77)
        #expect(try world.json(as: "sam", issued + [Self.day(-10)])["ok"] as? Bool == true)
        let shown = try world.json(as: "sam", ["plan", "show", plan])
        #expect(shown["amendments_proposed_on"] as? String == Self.day(-70))
        #expect(shown["amended_issued_on"] as? String == Self.day(-10))
        #expect(shown["la_decision"] == nil)
        let text = try world.run(as: "sam", ["plan", "show", plan]).stdout
        #expect(text.contains("amendments proposed \(Self.day(-70)), amended plan issued \(Self.day(-10))"))

        try world.sweep()
        #expect(try world.alerted("ehcp-amendment-late").isEmpty)
        #expect(try world.alerted("ehcp-amendment-late", state: "resolved") == [Int(plan)].compactMap { $0 })
    }

    @Test func theLAsPartIsForEHCPlansOnly() throws {
        let world = try Self.world.get()
        let upn = InclusionctlBlackBoxTests.upn("402200000003")
        let added = try world.run(
            as: "sam",
            [
                "pupil", "add", "--school", "100001", "--upn", upn, "--given", "Sol", "--family", "Supported",
                "--dob", "2016-05-04", "--year", "5", "--sen", "K",
            ]
        )
        #expect(added.status == 0, "\(added.stderr)")
        let created = try world.json(
            as: "sam",
            ["plan", "create", upn, "--kind", "sen-support", "--starts", Self.day(-30)]
        )
        let plan = String(try #require(created["id"] as? Int))
        for command in [
            ["review", "decision", "--plan", plan, "--on", Self.day(-1), "--to", "keep"],
            ["review", "amendment-proposed", "--plan", plan, "--on", Self.day(-1)],
            ["review", "amended-issued", "--plan", plan, "--on", Self.day(-1)],
        ] {
            let result = try world.run(as: "sam", command + ["--json"])
            #expect(result.status == 65, "\(command)")
            let error = try result.errorJSON()
            #expect(error["field"] as? String == "plan")
            #expect((error["message"] as? String)?.contains("EHC plans only") == true)
        }
        #expect(
            try world.refusal(
                as: "sam",
                ["review", "decision", "--plan", "999999", "--on", Self.day(-1), "--to", "keep"]
            ).0 == 66
        )
    }

    @Test func aMeetingAfterTheLastReportStartsANewCycleAndClearsTheLAsPart() throws {
        let world = try Self.world.get()
        let plan = try world.ehcPlan("402200000004")
        for command in [
            ["review", "invitations-sent", "--plan", plan, "--on", Self.day(-120)],
            ["review", "meeting", "--plan", plan, "--on", Self.day(-100)],
            ["review", "report-sent", "--plan", plan, "--on", Self.day(-95)],
            ["review", "decision", "--plan", plan, "--on", Self.day(-80), "--to", "amend"],
            ["review", "amendment-proposed", "--plan", plan, "--on", Self.day(-80)],
            ["review", "amended-issued", "--plan", plan, "--on", Self.day(-60)],
        ] {
            let result = try world.run(as: "sam", command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        // A meeting moved to a day before the report is the same cycle: nothing is cleared.
        #expect(try world.run(as: "sam", ["review", "meeting", "--plan", plan, "--on", Self.day(-98)]).status == 0)
        let same = try world.json(as: "sam", ["plan", "show", plan])
        #expect(same["review_meeting_on"] as? String == Self.day(-98))
        #expect(same["report_sent_on"] as? String == Self.day(-95))
        #expect(same["la_decision"] as? String == "amend")
        #expect(same["la_decision_on"] as? String == Self.day(-80))
        #expect(same["amendments_proposed_on"] as? String == Self.day(-80))
        #expect(same["amended_issued_on"] as? String == Self.day(-60))

        #expect(try world.run(as: "sam", ["review", "meeting", "--plan", plan, "--on", Self.day(-5)]).status == 0)
        let next = try world.json(as: "sam", ["plan", "show", plan])
        #expect(next["review_meeting_on"] as? String == Self.day(-5))
        for field in [
            "invitations_sent_on", "report_sent_on", "la_decision", "la_decision_on", "amendments_proposed_on",
            "amended_issued_on",
        ] {
            #expect(next[field] == nil, "\(field)")
        }
        // The new cycle's decision comes after its meeting.
        let early = ["review", "decision", "--plan", plan, "--on", Self.day(-6), "--to", "keep"]
        #expect(try world.refusal(as: "sam", early) == (65, "on"))
        let help = try world.run(as: "sam", ["review", "meeting", "--help"]).stdout
        #expect(help.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("the LA's decision"))
    }

    @Test func schoolSetRecordsWhichYearGroupsTransferAndSchoolListShowsThem() throws {
        let world = try Self.world.get()
        func transfers(as login: String, _ urn: Int) throws -> [[String: String]]? {
            let items = try #require(try world.json(as: login, ["school", "list"])["items"] as? [[String: Any]])
            return items.first { $0["urn"] as? Int == urn }?["transfers"] as? [[String: String]]
        }
        // A new school transfers year 6 by 15 February and year 11 by 31 March.
        #expect(
            try transfers(as: "ada", 100002)
                == [["year_group": "6", "deadline": "feb15"], ["year_group": "11", "deadline": "mar31"]]
        )

        // A secondary school's SENCO: year 6 does not transfer from there; year 11 (no sixth form) by 31 March.
        let set = try world.json(
            as: "sue",
            ["school", "set", "100002", "--no-transfer", "6", "--transfer", "11=MAR31"]
        )
        #expect(set["ok"] as? Bool == true)
        #expect(try transfers(as: "sue", 100002) == [["year_group": "11", "deadline": "mar31"]])
        #expect(try transfers(as: "sue", 100001) == nil, "another school is not listed")

        // An admin renames a school, adds an infant-to-junior transfer and removes year 11 (its own sixth form).
        let renamed = try world.run(
            as: "ada",
            [
                "school", "set", "100001", "--name", "Oakfield Academy", "--transfer", "2=feb15", "--no-transfer",
                "11",
            ]
        )
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(
            try transfers(as: "sam", 100001)
                == [["year_group": "2", "deadline": "feb15"], ["year_group": "6", "deadline": "feb15"]]
        )
        let text = try world.run(as: "ada", ["school", "list"]).stdout
        #expect(text.contains("TRANSFERS"))
        #expect(
            text.split(separator: "\n").contains { $0.contains("Oakfield Academy") && $0.contains("2=feb15,6=feb15") }
        )

        // Refusals: another school (66), renaming as a SENCO and any change as a TA (77), bad spellings (64).
        #expect(try world.refusal(as: "sam", ["school", "set", "100002", "--transfer", "6=feb15"]).0 == 66)
        #expect(try world.refusal(as: "sam", ["school", "set", "100001", "--name", "Mine"]).0 == 77)
        #expect(try world.refusal(as: "tia", ["school", "set", "100001", "--transfer", "6=mar31"]).0 == 77)
        #expect(try transfers(as: "ada", 100001)?.last == ["year_group": "6", "deadline": "feb15"])
        for bad in [
            ["--transfer", "15=feb15"], ["--transfer", "6=jan01"], ["--transfer", "6"], ["--no-transfer", "15"], [],
            ["--transfer", "6=feb15", "--no-transfer", "6"],
        ] {
            let result = try world.run(as: "ada", ["school", "set", "100001"] + bad)
            #expect(result.status == 64, "\(bad)")
        }
        let badYear = try world.run(as: "ada", ["school", "set", "100001", "--transfer", "15=feb15"])
        #expect(badYear.stderr.contains("--transfer"))
        let badName = try world.run(as: "ada", ["school", "set", "100001", "--name", "", "--json"])
        #expect(badName.status == 65)
        #expect(try badName.errorJSON()["field"] as? String == "name")
    }
}
