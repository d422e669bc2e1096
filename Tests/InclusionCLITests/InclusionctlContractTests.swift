import Foundation
import InclusionTestSupport
import Testing

/// DESIGN §8 pinned through the built `inclusionctl`: `pupil import` (its summary, its bad rows by physical line in
/// text and JSON, a missing file), the JSON field names of terms, cases, plans, interventions and reviews, sessions
/// logged for several days at once, and choice flags that are usage errors. Run as admin and SENCO logins of a
/// database of its own.
@Suite("inclusionctl's contract", .serialized)
struct InclusionctlContractTests {
    struct World: Sendable {
        let database: TestDatabase
        let cli: CommandRunner
        let admin: String
        let senco: String
        let directory: URL

        func run(as login: String, _ arguments: [String]) throws -> CommandRunner.Result {
            try cli.run(["--database", database.conninfo(as: login)] + arguments)
        }

        /// Runs a command that must succeed with `--json` and returns its document.
        func json(as login: String, _ arguments: [String]) throws -> [String: Any] {
            let result = try run(as: login, arguments + ["--json"])
            guard result.status == 0 else {
                throw TestDatabaseError("\(arguments) exited \(result.status): \(result.stderr)")
            }
            return try result.json()
        }

        /// Writes `text` to a file of this suite's directory and returns its path.
        func file(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url.path
        }
    }

    static let world = Result { () throws -> World in
        let database = try TestDatabase.create(suite: "clicontract")
        let cli = try CommandRunner.inclusionctl()
        func setUp(_ arguments: [String]) throws {
            let result = try cli.run(["--database", database.conninfo(as: database.owner)] + arguments)
            guard result.status == 0 else { throw TestDatabaseError("set-up failed: \(arguments) \(result.stderr)") }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clicontract-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try setUp(["school", "add", "--urn", "100001", "--name", "Oakfield Primary", "--la", "201"])
        let world = World(
            database: database,
            cli: cli,
            admin: database.login("ada"),
            senco: database.login("sam"),
            directory: directory
        )
        try setUp(["staff", "add", "--login", world.admin, "--name", "Ada Admin", "--role", "admin"])
        try setUp(["staff", "add", "--login", world.senco, "--name", "Sam", "--role", "senco", "--school", "100001"])
        for (body, family) in [("401100000001", "Plan"), ("401100000002", "Case"), ("401100000003", "Group")] {
            try setUp([
                "pupil", "add", "--school", "100001", "--upn", InclusionctlContractTests.upn(body), "--given", "Pat",
                "--family", family,
                "--dob", "2016-05-04", "--year", "6", "--sen", "K",
            ])
        }
        return world
    }

    static func upn(_ body: String) -> String { InclusionctlBlackBoxTests.upn(body) }
    static func today(adding days: Int = 0) -> String { InclusionctlBoundaryTests.today(adding: days) }

    static let header = "upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need"

    // MARK: pupil import

    @Test("pupil import adds a good file, then updates only what changed")
    func importAddsThenUpdates() throws {
        let world = try Self.world.get()
        let (first, second) = (Self.upn("401100000101"), Self.upn("401100000102"))
        let path = try world.file(
            "good.csv",
            Self.header + "\n" + "\(first),Ann,Lee,04/05/2016,6,K,SPLD,\n" + "\(second),Bo,Ng,2017-01-02,5,N,,\n"
        )
        let added = try world.json(as: world.senco, ["pupil", "import", "--school", "100001", path])
        #expect(added["version"] as? Int == 1)
        #expect(added["added"] as? Int == 2)
        #expect(added["updated"] as? Int == 0)
        #expect(added["unchanged"] as? Int == 0)
        #expect(added["rows"] as? Int == 2)

        let changed = try world.file(
            "changed.csv",
            Self.header + "\n" + "\(first),Ann,Lee-Smith,04/05/2016,6,K,SPLD,\n" + "\(second),Bo,Ng,2017-01-02,5,N,,\n"
        )
        let updated = try world.json(as: world.senco, ["pupil", "import", "--school", "100001", changed])
        #expect(updated["added"] as? Int == 0)
        #expect(updated["updated"] as? Int == 1)
        #expect(updated["unchanged"] as? Int == 1)
        let pupil = try world.json(as: world.senco, ["pupil", "show", first])
        #expect(pupil["family_name"] as? String == "Lee-Smith")
        #expect(pupil["date_of_birth"] as? String == "2016-05-04")
    }

    /// A file whose second record spans two physical lines (a quoted line break), so a record's number and its
    /// line differ: bad rows are named by physical line, the header being line 1.
    static let badFile =
        header + "\n"
        + "\(upn("401100000201")),Cy,Ok,2016-05-04,6,K,SPLD,\n"  // line 2: good
        + "\(upn("401100000202")),\"Di\nAnne\",Ok,2016-05-04,6,N,,\n"  // lines 3-4: one record, good
        + "X12345,Ed,Ok,2016-05-04,6,N,,\n"  // line 5: not a UPN
        + "\(upn("401100000203")),Flo,Ok,2016-05-04,6,N,,\n"  // line 6: good
        + "\(upn("401100000204")),Gus,Ok,2016-13-40,6,N,,\n"  // line 7: no such date
        + "\(upn("401100000205")),Hal,Ok,2016-05-04,15,N,,\n"  // line 8: no such year group

    @Test("pupil import lists every bad row by physical line in JSON, and writes nothing")
    func importListsBadRowsInJSON() throws {
        let world = try Self.world.get()
        let path = try world.file("bad.csv", Self.badFile)
        let result = try world.run(as: world.senco, ["pupil", "import", "--school", "100001", path, "--json"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let error = try result.errorJSON()
        #expect(error["exit"] as? Int == 65)
        let rows = try #require(error["rows"] as? [[String: Any]], "\(error)")
        #expect(rows.allSatisfy { Set($0.keys) == ["line", "field", "message"] })
        #expect(rows.compactMap { $0["line"] as? Int } == [5, 7, 8], "\(rows)")
        #expect(rows.compactMap { $0["field"] as? String } == ["upn", "date_of_birth", "year_group"], "\(rows)")
        let listed = try world.json(as: world.senco, ["pupil", "list"])
        let upns = try #require(listed["items"] as? [[String: Any]]).compactMap { $0["upn"] as? String }
        #expect(!upns.contains(Self.upn("401100000201")), "nothing is written when a row is bad")
    }

    @Test("pupil import names every bad row's line in text too")
    func importListsBadRowsInText() throws {
        let world = try Self.world.get()
        let path = try world.file("bad-text.csv", Self.badFile)
        let result = try world.run(as: world.senco, ["pupil", "import", "--school", "100001", path])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("error: ") == true, "\(result.stderr)")
        #expect(lines.dropFirst().map { $0.prefix(while: { $0 != ":" }) } == ["  line 5", "  line 7", "  line 8"])
        #expect(lines.contains { $0.hasPrefix("  line 5: upn: ") })
        #expect(lines.contains { $0.hasPrefix("  line 7: date_of_birth: ") })
    }

    @Test("pupil import of a file that does not exist exits 66, naming the file")
    func importOfAMissingFileIsNotFound() throws {
        let world = try Self.world.get()
        let path = world.directory.appendingPathComponent("no-such-file.csv").path
        let json = try world.run(as: world.senco, ["pupil", "import", "--school", "100001", path, "--json"])
        #expect(json.status == 66)
        let error = try json.errorJSON()
        #expect(error["exit"] as? Int == 66)
        #expect(error["field"] as? String == "file")
        let text = try world.run(as: world.senco, ["pupil", "import", "--school", "100001", path])
        #expect(text.status == 66)
        #expect(text.stderr.hasPrefix("error: file: "))
    }

    // MARK: JSON shapes (README "JSON shapes")

    @Test("a term lists id, name, from, to and its closures")
    func termShape() throws {
        let world = try Self.world.get()
        let created = try world.json(
            as: world.database.owner,
            ["term", "add", "--school", "100001", "--name", "Autumn", "--from", "2025-09-03", "--to", "2025-12-18"]
        )
        #expect(Set(created.keys) == ["version", "id"])
        _ = try world.json(
            as: world.database.owner,
            ["term", "closure", "--school", "100001", "--from", "2025-10-27", "--to", "2025-10-31", "--reason", "half"]
        )
        let listed = try world.json(as: world.senco, ["term", "list", "--school", "100001"])
        #expect(listed["version"] as? Int == 1)
        let term = try #require((listed["items"] as? [[String: Any]])?.first)
        #expect(Set(term.keys) == ["id", "name", "from", "to", "closures"])
        #expect(term["from"] as? String == "2025-09-03")
        let closure = try #require((term["closures"] as? [[String: Any]])?.first)
        #expect(Set(closure.keys) == ["id", "from", "to", "reason"])
    }

    @Test("case open --on dates a concern raised earlier; a note before the opening is invalid data naming on")
    func caseOpenedEarlier() throws {
        let world = try Self.world.get()
        let upn = Self.upn("401100000002")
        let created = try world.json(
            as: world.senco,
            [
                "case", "open", upn, "--category", "concern", "--summary", "Raised at parents' evening", "--on",
                "2026-09-14",
            ]
        )
        let id = String(try #require(created["id"] as? Int))
        let shown = try world.json(as: world.senco, ["case", "show", id])
        #expect(shown["opened_on"] as? String == "2026-09-14")
        let early = try world.run(
            as: world.senco,
            ["case", "note", id, "--kind", "note", "--text", "Before", "--on", "2026-09-13", "--json"]
        )
        #expect(early.status == 65)
        let error = try early.errorJSON()
        #expect(error["field"] as? String == "on")
        #expect((error["message"] as? String)?.contains("opened on 2026-09-14") == true)
        #expect(
            try world.run(
                as: world.senco,
                ["case", "note", id, "--kind", "note", "--text", "Same day", "--on", "2026-09-14"]
            ).status == 0
        )
        let future = try world.run(
            as: world.senco,
            ["case", "open", upn, "--category", "concern", "--summary", "Later", "--on", "2099-01-01"]
        )
        #expect(future.status == 65)
    }

    @Test("a case has id, upn, category, summary, state, opened_on and school_urn; closed, its outcome")
    func caseShape() throws {
        let world = try Self.world.get()
        let upn = Self.upn("401100000002")
        let created = try world.json(
            as: world.senco,
            ["case", "open", upn, "--category", "parent-request", "--summary", "Reading"]
        )
        #expect(Set(created.keys) == ["version", "id"])
        let id = try #require(created["id"] as? Int)
        let note = try world.json(
            as: world.senco,
            ["case", "note", String(id), "--kind", "observation", "--text", "Settled"]
        )
        #expect(Set(note.keys) == ["version", "id"])
        let moved = try world.json(as: world.senco, ["case", "state", String(id), "--to", "monitoring"])
        #expect(Set(moved.keys) == ["version", "id", "ok"])
        let listed = try world.json(as: world.senco, ["case", "list"])
        let item = try #require((listed["items"] as? [[String: Any]])?.first { $0["id"] as? Int == id })
        #expect(
            Set(item.keys)
                == ["id", "upn", "category", "summary", "state", "opened_on", "school_urn", "last_note_on"]
        )
        #expect(item["category"] as? String == "parent-request")
        #expect(item["state"] as? String == "monitoring")
        #expect(item["opened_on"] as? String == Self.today())
        _ = try world.json(as: world.senco, ["case", "close", String(id), "--outcome", "Resolved"])
        let shown = try world.json(as: world.senco, ["case", "show", String(id)])
        #expect(
            Set(shown.keys)
                == [
                    "version", "id", "upn", "category", "summary", "state", "opened_on", "closed_on", "outcome",
                    "school_urn", "last_note_on", "notes",
                ]
        )
        let shownNote = try #require((shown["notes"] as? [[String: Any]])?.first)
        #expect(Set(shownNote.keys) == ["id", "kind", "on", "text", "confidential", "author"])
    }

    @Test("a plan has id, upn, kind, status, starts and next_review_due; show adds outcomes and reviews")
    func planAndReviewShape() throws {
        let world = try Self.world.get()
        let upn = Self.upn("401100000001")
        let created = try world.json(
            as: world.senco,
            ["plan", "create", upn, "--kind", "sen-support", "--starts", Self.today(adding: -30)]
        )
        let id = String(try #require(created["id"] as? Int))
        _ = try world.json(
            as: world.senco,
            ["plan", "outcome", id, "--area", "cognition-learning", "--text", "Reads 20 words"]
        )
        let review = try world.json(
            as: world.senco,
            [
                "review", "record", "--plan", id, "--held-on", Self.today(adding: -1), "--parent-attended",
                "--outcome", "continue", "--notes", "Going well",
            ]
        )
        #expect(Set(review.keys) == ["version", "id"])
        let shown = try world.json(as: world.senco, ["plan", "show", id])
        for field in ["version", "id", "upn", "kind", "status", "starts", "next_review_due", "outcomes", "reviews"] {
            #expect(shown[field] != nil, "plan show has no \(field): \(shown.keys.sorted())")
        }
        #expect(shown["kind"] as? String == "sen-support")
        #expect(shown["status"] as? String == "active")
        let reviewed = try #require((shown["reviews"] as? [[String: Any]])?.first)
        for field in ["id", "plan", "held_on", "parent_attended", "outcome", "notes", "recorded_by"] {
            #expect(reviewed[field] != nil, "a review has no \(field): \(reviewed.keys.sorted())")
        }
        #expect(reviewed["held_on"] as? String == Self.today(adding: -1))
        #expect(reviewed["outcome"] as? String == "continue")
        let outcome = try #require((shown["outcomes"] as? [[String: Any]])?.first)
        #expect(outcome["area"] as? String == "cognition-learning")
    }

    @Test("an intervention has id, upns, name, area, starts, ends; sessions for several days print every id")
    func interventionShapeAndSessionsForSeveralDays() throws {
        let world = try Self.world.get()
        let upns = [Self.upn("401100000003"), Self.upn("401100000001")]
        let created = try world.json(
            as: world.senco,
            ["intervention", "add"] + upns + [
                "--name", "Phonics", "--area", "communication-interaction", "--starts",
                Self.today(adding: -28), "--ends", Self.today(adding: 28), "--per-week", "2", "--minutes", "20",
                "--cost-per-session", "12.50",
            ]
        )
        let id = String(try #require(created["id"] as? Int))
        let two = try world.json(
            as: world.senco,
            ["intervention", "session", id, "--on", Self.today(adding: -21), "--on", Self.today(adding: -20)]
        )
        #expect(Set(two.keys) == ["version", "id", "ids"])
        let ids = try #require(two["ids"] as? [Int])
        #expect(ids.count == 2)
        #expect(two["id"] as? Int == ids.first)

        // A span of 14 days holds exactly two Mondays and two Wednesdays, whatever today is.
        let span = try world.json(
            as: world.senco,
            [
                "intervention", "session", id, "--from", Self.today(adding: -14), "--to", Self.today(adding: -1),
                "--weekdays", "mon,wed",
            ]
        )
        #expect((span["ids"] as? [Int])?.count == 4)

        // All or nothing: a day already logged refuses the whole list.
        let refused = try world.run(
            as: world.senco,
            ["intervention", "session", id, "--on", Self.today(adding: -19), "--on", Self.today(adding: -21), "--json"]
        )
        #expect(refused.status == 65, "\(refused.stderr)")

        let shown = try world.json(as: world.senco, ["intervention", "show", id])
        for field in [
            "version", "id", "upns", "name", "area", "starts", "ends", "per_week", "minutes", "cost_per_session",
            "delivered", "missed", "last_delivered_on", "school_urn",
        ] {
            #expect(shown[field] != nil, "intervention show has no \(field): \(shown.keys.sorted())")
        }
        #expect(Set(try #require(shown["upns"] as? [String])) == Set(upns))
        #expect(shown["delivered"] as? Int == 6)
        #expect(shown["cost_per_session"] as? Int == 1250)
        let listed = try world.json(as: world.senco, ["intervention", "list"])
        let item = try #require((listed["items"] as? [[String: Any]])?.first { String(describing: $0["id"]!) == id })
        #expect(item["area"] as? String == "communication-interaction")
    }

    @Test(
        "a choice flag's bad value is a usage error (64) before anything connects",
        arguments: [
            ["case", "open", "UPN", "--category", "worry", "--summary", "S"],
            ["case", "note", "1", "--kind", "email", "--text", "T"],
            ["case", "state", "1", "--to", "closed"],
            ["plan", "create", "UPN", "--kind", "iep", "--starts", "2026-01-05"],
            ["plan", "outcome", "1", "--area", "maths", "--text", "T"],
            ["pupil", "list", "--sen", "X"],
            ["pupil", "need", "UPN", "--primary", "ABC"],
            ["pupil", "set", "UPN", "--year", "15"],
            ["staff", "add", "--login", "x", "--name", "X", "--role", "teacher"],
            ["review", "record", "--plan", "1", "--held-on", "2026-01-05", "--outcome", "pause"],
            ["intervention", "session", "1", "--from", "2026-01-05", "--to", "2026-01-09", "--weekdays", "monday"],
        ]
    )
    func badChoicesAreUsageErrors(arguments: [String]) throws {
        let world = try Self.world.get()
        // An unreachable database: a usage error must come before any connection is tried.
        let result = try world.cli.run(arguments + ["--database", "host=/nonexistent-dir", "--json"])
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(try result.errorJSON()["exit"] as? Int == 64)
    }
}
