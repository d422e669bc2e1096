import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// `report overdue` and `report due` through the built `inclusionctl`, as SENCOs of two schools, a TA, a governor
/// and an admin, after the review sweep (run as the daemon's login) has raised its alerts. Events lie in the past
/// (the database refuses future dates for them); `--as-of` moves judgement forward where a test needs it.
@Suite("inclusionctl report", .serialized)
struct InclusionctlReportTests {
    struct World: Sendable {
        let database: TestDatabase
        let cli: CommandRunner
        /// Plan ids: an overdue SEN support plan, an overdue EHC plan, a SEN support plan due in 10 days, an EHC
        /// plan with a meeting arranged in 20 days, and an overdue SEN support plan at the other school.
        let overdueSupport: Int
        let overdueEHCP: Int
        let dueSupport: Int
        let meetingEHCP: Int
        let otherSchool: Int
        let intervention: Int

        func run(as login: String, _ arguments: [String]) throws -> CommandRunner.Result {
            try cli.run(["--database", database.conninfo(as: database.login(login))] + arguments)
        }

        func items(as login: String, _ arguments: [String]) throws -> [[String: Any]] {
            let result = try run(as: login, arguments + ["--json"])
            guard result.status == 0 else {
                throw TestDatabaseError("\(arguments) exited \(result.status): \(result.stderr)")
            }
            let document = try result.json()
            guard document["version"] as? Int == 1, let items = document["items"] as? [[String: Any]] else {
                throw TestDatabaseError("\(arguments): not a version 1 list: \(result.stdout)")
            }
            return items
        }
    }

    static func day(_ offset: Int) -> String { InclusionctlBoundaryTests.today(adding: offset) }
    static let upns = (1...5).map { InclusionctlBlackBoxTests.upn(String(format: "4031000000%02d", $0)) }
    static let names = [
        ("Sid", "Support"), ("Eve", "Statutory"), ("=SUM(A1)", "Formula"), ("Mia", "Meeting"), ("Oli", "Other"),
    ]
    /// The statutory last day of the EHC plan issued 400 days ago: the anniversary minus one day (s44(1)).
    static let ehcpLastDay = (try? Day(iso: day(-400)))?.adding(months: 12).adding(days: -1)

    static let columns = [
        "kind", "school_urn", "upn", "pupil_name", "subject", "due_on", "days_overdue", "alert_id", "severity",
    ]

    static let world = Result { () throws -> World in
        let database = try TestDatabase.create(suite: "clireports")
        let cli = try CommandRunner.inclusionctl()
        @discardableResult
        func setUp(_ arguments: [String]) throws -> [String: Any] {
            let result = try cli.run(["--database", database.conninfo(as: database.owner), "--json"] + arguments)
            guard result.status == 0 else { throw TestDatabaseError("set-up failed: \(arguments) \(result.stderr)") }
            return try result.json()
        }
        func plan(_ pupil: Int, _ arguments: [String]) throws -> Int {
            guard let id = try setUp(["plan", "create", upns[pupil]] + arguments)["id"] as? Int else {
                throw TestDatabaseError("plan create printed no id")
            }
            return id
        }
        try setUp(["school", "add", "--urn", "100001", "--name", "Oakfield Primary", "--la", "201"])
        try setUp(["school", "add", "--urn", "100002", "--name", "Riverside Primary", "--la", "201"])
        try setUp(["staff", "add", "--login", database.login("ada"), "--name", "Ada", "--role", "admin"])
        for (login, role, urn) in [
            ("sam", "senco", "100001"), ("tia", "staff", "100001"), ("gov", "readonly", "100001"),
            ("ola", "senco", "100002"),
        ] {
            try setUp([
                "staff", "add", "--login", database.login(login), "--name", login, "--role", role, "--school", urn,
            ])
        }
        for (index, upn) in upns.enumerated() {
            try setUp([
                "pupil", "add", "--school", index == 4 ? "100002" : "100001", "--upn", upn, "--given", names[index].0,
                "--family", names[index].1, "--dob", "2016-05-04", "--year", "5", "--sen",
                [1, 3].contains(index) ? "E" : "K",
            ])
        }
        let overdueSupport = try plan(0, ["--kind", "sen-support", "--starts", day(-60), "--review-every", "4w"])
        let overdueEHCP = try plan(
            1,
            ["--kind", "ehcp", "--starts", day(-400), "--issued", day(-400), "--issuing-la", "Oakshire"]
        )
        let dueSupport = try plan(2, ["--kind", "sen-support", "--starts", day(-18), "--review-every", "4w"])
        let meetingEHCP = try plan(
            3,
            ["--kind", "ehcp", "--starts", day(-300), "--issued", day(-300), "--issuing-la", "Oakshire"]
        )
        try setUp(["review", "meeting", "--plan", String(meetingEHCP), "--on", day(20)])
        let otherSchool = try plan(4, ["--kind", "sen-support", "--starts", day(-60), "--review-every", "4w"])
        // A group that ended 20 days ago, never delivered nor reviewed: two lapses about two pupils.
        guard
            let intervention = try setUp([
                "intervention", "add", upns[0], upns[2], "--name", "Phonics group", "--area", "cognition-learning",
                "--starts", day(-60), "--ends", day(-20), "--per-week", "2", "--minutes", "20",
            ])["id"] as? Int
        else { throw TestDatabaseError("intervention add printed no id") }

        let service = try database.connect(as: database.daemonLogin)
        defer { service.close() }
        _ = try AlertSweep(connection: service).run(asOf: try Day(iso: day(0)))
        return World(
            database: database,
            cli: cli,
            overdueSupport: overdueSupport,
            overdueEHCP: overdueEHCP,
            dueSupport: dueSupport,
            meetingEHCP: meetingEHCP,
            otherSchool: otherSchool,
            intervention: intervention
        )
    }

    /// The open alert of `rule` about plan `plan`, from `alert list`.
    static func alertID(_ world: World, rule: String, plan: Int) throws -> Int? {
        try world.items(as: "sam", ["alert", "list", "--rule", rule]).first { $0["subject_id"] as? Int == plan }?[
            "id"
        ] as? Int
    }

    @Test func overdueListsEachOverdueReviewOnceWithItsAlertAndTheOtherLapses() throws {
        let world = try Self.world.get()
        let items = try world.items(as: "sam", ["report", "overdue"])
        func rows(_ subject: String) -> [[String: Any]] { items.filter { $0["subject"] as? String == subject } }

        // The SEN support review, 32 days overdue, once, carrying its plan-review-overdue alert.
        let support = rows("plan \(world.overdueSupport)").filter {
            ($0["kind"] as? String)?.contains("review") == true
        }
        #expect(support.count == 1)
        let review = try #require(support.first)
        #expect(review["kind"] as? String == "plan-review-overdue")
        #expect(review["due_on"] as? String == Self.day(-32))
        #expect(review["days_overdue"] as? Int == 32)
        #expect(review["upn"] as? String == Self.upns[0])
        #expect(review["pupil_name"] as? String == "Sid Support")
        #expect(review["school_urn"] as? Int == 100001)
        #expect(review["severity"] as? String == "warning")
        let alert = try Self.alertID(world, rule: "plan-review-overdue", plan: world.overdueSupport)
        #expect(alert != nil)
        #expect(review["alert_id"] as? Int == alert)
        #expect(Set(review.keys) == Set(Self.columns))

        // The EHCP annual review, overdue since its statutory last day, critical, once.
        let lastDay = try #require(Self.ehcpLastDay)
        let today = try Day(iso: Self.day(0))
        let ehcp = rows("plan \(world.overdueEHCP)")
        #expect(ehcp.filter { ($0["kind"] as? String)?.hasPrefix("ehcp-annual-review") == true }.count == 1)
        let annual = try #require(ehcp.first { $0["kind"] as? String == "ehcp-annual-review-overdue" })
        #expect(annual["due_on"] as? String == lastDay.description)
        #expect(annual["days_overdue"] as? Int == lastDay.days(to: today))
        #expect(annual["severity"] as? String == "critical")
        #expect(
            annual["alert_id"] as? Int
                == (try Self.alertID(world, rule: "ehcp-annual-review-overdue", plan: world.overdueEHCP))
        )
        // Its other lapse (no meeting arranged) is a row of its own.
        #expect(ehcp.contains { $0["kind"] as? String == "ehcp-review-meeting-unarranged" })

        // The group's lapses name both its pupils, by UPN.
        let group = rows("intervention \(world.intervention)")
        #expect(
            Set(group.compactMap { $0["kind"] as? String })
                == ["intervention-ended-unreviewed", "intervention-delivery-lapsed"]
        )
        let pupils = [(Self.upns[0], "Sid Support"), (Self.upns[2], "=SUM(A1) Formula")].sorted { $0.0 < $1.0 }
        #expect(group.first?["upn"] as? String == pupils.map(\.0).joined(separator: "; "))
        #expect(group.first?["pupil_name"] as? String == pupils.map(\.1).joined(separator: "; "))
        #expect(rows("intervention \(world.intervention)").allSatisfy { $0["alert_id"] is Int })

        // Nothing that is merely due, no calendar warnings, only this SENCO's school; most overdue first.
        let kinds = Set(items.compactMap { $0["kind"] as? String })
        #expect(kinds.isDisjoint(with: ["plan-review-due", "ehcp-annual-review-due", "term-dates-missing"]))
        #expect(!rows("plan \(world.dueSupport)").contains { $0["kind"] as? String == "plan-review-overdue" })
        #expect(items.allSatisfy { $0["school_urn"] as? Int == 100001 })
        let dues = items.compactMap { $0["due_on"] as? String }
        #expect(dues == dues.sorted())
        #expect(dues.count == items.count)

        // A TA sees the same list; --as-of counts the days to that day.
        #expect(try world.items(as: "tia", ["report", "overdue"]).count == items.count)
        let later = try world.items(as: "sam", ["report", "overdue", "--as-of", Self.day(10)])
        #expect(
            later.first {
                $0["subject"] as? String == "plan \(world.overdueSupport)"
                    && $0["kind"] as? String == "plan-review-overdue"
            }?[
                "days_overdue"
            ] as? Int == 42
        )
    }

    @Test func dueListsWhatFallsDueWithinTheWindowByDay() throws {
        let world = try Self.world.get()
        let items = try world.items(as: "sam", ["report", "due"])
        let review = try #require(items.first { $0["subject"] as? String == "plan \(world.dueSupport)" })
        #expect(review["kind"] as? String == "plan-review-due")
        #expect(review["due_on"] as? String == Self.day(10))
        #expect(review["days_left"] as? Int == 10)
        #expect(review["pupil_name"] as? String == "=SUM(A1) Formula")
        #expect(
            review["alert_id"] as? Int == (try Self.alertID(world, rule: "plan-review-due", plan: world.dueSupport))
        )
        // The meeting in 20 days: invitations must go by 14 days before it.
        let invitations = try #require(items.first { $0["subject"] as? String == "plan \(world.meetingEHCP)" })
        #expect(invitations["kind"] as? String == "ehcp-review-invitations-late")
        #expect(invitations["due_on"] as? String == Self.day(6))
        #expect(invitations["days_left"] as? Int == 6)
        #expect(
            Set(invitations.keys)
                == ["kind", "school_urn", "upn", "pupil_name", "subject", "due_on", "days_left", "severity"]
        )
        // Nothing overdue, in due-day order.
        #expect(!items.contains { $0["subject"] as? String == "plan \(world.overdueSupport)" })
        #expect(items.allSatisfy { ($0["days_left"] as? Int ?? -1) >= 0 })
        let dues = items.compactMap { $0["due_on"] as? String }
        #expect(dues == dues.sorted())

        // --within 5 ends before both; --within 70 reaches the EHCP's own last day, with its -due alert.
        let soon = try world.items(as: "sam", ["report", "due", "--within", "5"])
        #expect(!soon.contains { $0["subject"] as? String == "plan \(world.dueSupport)" })
        #expect(!soon.contains { $0["subject"] as? String == "plan \(world.meetingEHCP)" })
        let wide = try world.items(as: "sam", ["report", "due", "--within", "70"])
        let annual = try #require(wide.first { $0["kind"] as? String == "ehcp-annual-review-due" })
        #expect(annual["subject"] as? String == "plan \(world.meetingEHCP)")
        #expect(
            annual["alert_id"] as? Int
                == (try Self.alertID(world, rule: "ehcp-annual-review-due", plan: world.meetingEHCP))
        )
    }

    @Test func csvHasAPinnedHeaderAndNeutralisesFormulas() throws {
        let world = try Self.world.get()
        let overdue = try world.run(as: "sam", ["report", "overdue", "--format", "csv"])
        #expect(overdue.status == 0, "\(overdue.stderr)")
        let lines = overdue.stdout.components(separatedBy: "\r\n")
        #expect(lines.first == Self.columns.joined(separator: ","))
        #expect(lines.last == "")
        #expect(lines.count == (try world.items(as: "sam", ["report", "overdue"])).count + 2)
        #expect(overdue.stdout.contains(",'=SUM(A1) Formula,"))
        #expect(!overdue.stdout.contains(",=SUM"))
        #expect(lines.contains { $0.hasPrefix("plan-review-overdue,100001,\(Self.upns[0]),Sid Support,") })

        let due = try world.run(as: "sam", ["report", "due", "--format", "csv"])
        #expect(
            due.stdout.hasPrefix("kind,school_urn,upn,pupil_name,subject,due_on,days_left,alert_id,severity\r\n")
        )
        #expect(due.stdout.contains(",\(Self.upns[2]),'=SUM(A1) Formula,plan \(world.dueSupport),\(Self.day(10)),10,"))

        // --format json is --json; a table by default.
        let json = try world.run(as: "sam", ["report", "due", "--format", "json"])
        #expect(json.stdout == (try world.run(as: "sam", ["report", "due", "--json"])).stdout)
        let table = try world.run(as: "sam", ["report", "due"])
        #expect(table.stdout.hasPrefix("KIND "))
        #expect(table.stdout.contains("=SUM(A1) Formula"))
    }

    @Test func schoolFilterAndEachLoginSeesOnlyItsOwnSchools() throws {
        let world = try Self.world.get()
        let all = try world.items(as: "ada", ["report", "overdue"])
        #expect(Set(all.compactMap { $0["school_urn"] as? Int }) == [100001, 100002])
        let riverside = try world.items(as: "ada", ["report", "overdue", "--school", "100002"])
        #expect(!riverside.isEmpty)
        #expect(riverside.allSatisfy { $0["school_urn"] as? Int == 100002 })
        #expect(riverside.contains { $0["subject"] as? String == "plan \(world.otherSchool)" })
        #expect(
            try world.items(as: "ada", ["report", "overdue", "--school", "100001"]).count
                == all.count - riverside.count
        )

        // Riverside's SENCO sees Riverside only, and cannot name Oakfield.
        let ola = try world.items(as: "ola", ["report", "overdue"])
        #expect(ola.count == riverside.count)
        #expect(ola.allSatisfy { $0["school_urn"] as? Int == 100002 })
        #expect(!ola.contains { ($0["upn"] as? String)?.contains(Self.upns[0]) == true })
        #expect(
            try world.items(as: "ola", ["report", "due", "--within", "366"]).allSatisfy {
                $0["school_urn"] as? Int == 100002
            }
        )
        #expect(try world.run(as: "ola", ["report", "overdue", "--school", "100001"]).status == 66)

        // A governor's readonly login may not read pupils: a clear refusal.
        let governor = try world.run(as: "gov", ["report", "overdue", "--json"])
        #expect(governor.status == 77)
        #expect((try governor.errorJSON()["message"] as? String)?.contains("readonly") == true)
        #expect(try world.run(as: "gov", ["report", "due", "--school", "100001"]).status == 77)
    }

    @Test func badChoicesAreUsageErrors() throws {
        let world = try Self.world.get()
        #expect(try world.run(as: "sam", ["report", "overdue", "--format", "xml"]).status == 64)
        #expect(try world.run(as: "sam", ["report", "due", "--within", "367"]).status == 64)
        #expect(try world.run(as: "sam", ["report", "due", "--within", "-1"]).status == 64)
        #expect(try world.run(as: "sam", ["report", "overdue", "--json", "--format", "csv"]).status == 64)
        let badDay = try world.run(as: "sam", ["report", "overdue", "--as-of", "2026-02-30", "--json"])
        #expect(badDay.status == 65)
        #expect(try badDay.errorJSON()["field"] as? String == "as-of")
    }
}
