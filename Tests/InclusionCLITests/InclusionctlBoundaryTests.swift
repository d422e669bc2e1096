import Foundation
import InclusionTestSupport
import Postgres
import Testing

/// The built `inclusionctl` at the edges of issue 6: a UPN on roll at two schools, hostile text in output, input
/// that PostgreSQL would silently change, values out of range, bad connection strings and encodings, and a lock
/// held by another session. Run as admin, SENCO and staff logins of a database of its own.
@Suite("inclusionctl at the boundary", .serialized)
struct InclusionctlBoundaryTests {
    struct World: Sendable {
        let database: TestDatabase
        let cli: CommandRunner
        let admin: String
        /// A SENCO of both schools, who sees both records of a dual-registered pupil.
        let senco: String
        /// Staff at school 100001.
        let staff: String
        /// Staff at school 100002 only.
        let otherStaff: String
        let disabled: String
        let governor: String
        /// On roll at 100001 and 100002.
        let twice: String
        /// On roll at 100001 only.
        let once: String
        let today: String

        func run(
            as login: String,
            _ arguments: [String],
            environment: [String: String] = [:],
            input: String? = nil
        ) throws -> CommandRunner.Result {
            try cli.run(
                ["--database", database.conninfo(as: login)] + arguments,
                environment: environment,
                input: input
            )
        }

        /// The pupil `upn` at `school`, as JSON, read by the admin.
        func pupil(_ upn: String, at school: String) throws -> [String: Any] {
            let shown = try run(as: admin, ["pupil", "show", upn, "--school", school, "--json"])
            guard shown.status == 0 else { throw TestDatabaseError("pupil show failed: \(shown.stderr)") }
            return try shown.json()
        }
    }

    /// Today in Europe/London, as inclusionctl and the database see it.
    static func today(adding days: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let date = calendar.date(byAdding: .day, value: days, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static let world = Result { () throws -> World in
        let database = try TestDatabase.create(suite: "clibound")
        let cli = try CommandRunner.inclusionctl()
        func setUp(_ arguments: [String]) throws {
            let result = try cli.run(["--database", database.conninfo(as: database.owner)] + arguments)
            guard result.status == 0 else { throw TestDatabaseError("set-up failed: \(arguments) \(result.stderr)") }
        }
        try setUp(["school", "add", "--urn", "100001", "--name", "Oakfield Primary", "--la", "201"])
        try setUp(["school", "add", "--urn", "100002", "--name", "Riverside Academy", "--la", "201"])
        let world = World(
            database: database,
            cli: cli,
            admin: database.login("ada"),
            senco: database.login("sam"),
            staff: database.login("tia"),
            otherStaff: database.login("ola"),
            disabled: database.login("dee"),
            governor: database.login("gil"),
            twice: InclusionctlBlackBoxTests.upn("301100000001"),
            once: InclusionctlBlackBoxTests.upn("301100000002"),
            today: today()
        )
        try setUp(["staff", "add", "--login", world.admin, "--name", "Ada Admin", "--role", "admin"])
        try setUp([
            "staff", "add", "--login", world.senco, "--name", "Sam", "--role", "senco", "--school", "100001", "100002",
        ])
        try setUp(["staff", "add", "--login", world.staff, "--name", "Tia", "--role", "staff", "--school", "100001"])
        try setUp([
            "staff", "add", "--login", world.otherStaff, "--name", "Ola", "--role", "staff", "--school", "100002",
        ])
        try setUp(["staff", "add", "--login", world.disabled, "--name", "Dee", "--role", "staff", "--school", "100001"])
        try setUp(["staff", "disable", world.disabled])
        try setUp([
            "staff", "add", "--login", world.governor, "--name", "Gil", "--role", "readonly", "--school", "100001",
        ])
        for (upn, school, family) in [
            (world.twice, "100001", "Oak"), (world.twice, "100002", "River"), (world.once, "100001", "Only"),
        ] {
            try setUp([
                "pupil", "add", "--school", school, "--upn", upn, "--given", "Pat", "--family", family, "--dob",
                "2016-05-04", "--year", "6", "--sen", "K",
            ])
        }
        return world
    }

    /// Runs a program with a minimal environment, as CommandRunner does, for what CommandRunner cannot express:
    /// arguments that are not UTF-8 (through a shell) and a time limit (through timeout(1)).
    static func runProcess(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"].merging(environment) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    // MARK: Finding 7: a UPN on roll at two schools

    /// Every command that takes a UPN, with the arguments after it.
    static let commandsTakingAUPN: [(String, [String])] = [
        ("pupil set", ["--family", "Changed"]),
        ("pupil need", ["--primary", "SPLD"]),
        ("pupil show", []),
        ("case open", ["--category", "concern", "--summary", "Reading"]),
        ("plan create", ["--kind", "sen-support", "--starts", today()]),
        (
            "intervention add",
            [
                "--name", "Reading", "--area", "cognition-learning", "--starts", today(adding: -28), "--ends",
                today(adding: 28), "--per-week", "2", "--minutes", "20",
            ]
        ),
    ]

    @Test(
        "a UPN on roll at two schools the login sees is refused until --school names one",
        arguments: commandsTakingAUPN
    )
    func ambiguousUPNIsRefused(command: String, rest: [String]) throws {
        let world = try Self.world.get()
        let words = command.split(separator: " ").map(String.init)
        for login in [world.admin, world.senco] {
            let refused = try world.run(as: login, words + [world.twice] + rest + ["--json"])
            #expect(refused.status == 65, "\(command) as \(login): \(refused.stderr)")
            let error = try refused.errorJSON()
            #expect(error["field"] as? String == "upn")
            #expect(
                error["message"] as? String
                    == "this UPN is on roll at 2 schools you can see; say which with --school URN"
            )
            #expect(refused.stdout.isEmpty)
        }
        // Nothing was written to either record.
        #expect(try world.pupil(world.twice, at: "100001")["family_name"] as? String == "Oak")
        #expect(try world.pupil(world.twice, at: "100002")["family_name"] as? String == "River")
    }

    @Test("--school picks the record, and a change lands on that school's pupil alone")
    func schoolPicksTheRecord() throws {
        let world = try Self.world.get()
        let need = try world.run(
            as: world.senco,
            ["pupil", "need", world.twice, "--school", "100002", "--primary", "SEMH", "--json"]
        )
        #expect(need.status == 0, "\(need.stderr)")
        let river = try world.pupil(world.twice, at: "100002")
        #expect(river["school_urn"] as? Int == 100002)
        #expect(river["needs"] as? [[String: String]] == [["code": "SEMH", "rank": "primary"]])
        #expect(try world.pupil(world.twice, at: "100001")["needs"] as? [[String: String]] == [])
        // A login that sees one of the two records needs no --school.
        let staffView = try world.run(as: world.staff, ["pupil", "show", world.twice, "--json"])
        #expect(staffView.status == 0, "\(staffView.stderr)")
        #expect(try staffView.json()["school_urn"] as? Int == 100001)
        // A school the pupil is not at is "not found", naming the UPN.
        let elsewhere = try world.run(as: world.admin, ["pupil", "show", world.once, "--school", "100002", "--json"])
        #expect(elsewhere.status == 66)
        #expect(try elsewhere.errorJSON()["field"] as? String == "upn")
    }

    @Test("group members named with --absent are looked for at the intervention's school")
    func absentPupilsAreFoundAtTheInterventionsSchool() throws {
        let world = try Self.world.get()
        let added = try world.run(
            as: world.senco,
            [
                "intervention", "add", world.twice, world.once, "--school", "100001", "--name", "Phonics", "--area",
                "cognition-learning", "--starts", Self.today(adding: -14), "--ends", Self.today(adding: 14),
                "--per-week", "3", "--minutes", "20", "--json",
            ]
        )
        #expect(added.status == 0, "\(added.stderr)")
        let id = String(try #require(try added.json()["id"] as? Int))
        let session = try world.run(
            as: world.senco,
            ["intervention", "session", id, "--on", world.today, "--absent", world.twice, "--json"]
        )
        #expect(session.status == 0, "\(session.stderr)")
        let shown = try world.run(as: world.senco, ["intervention", "show", id, "--json"])
        #expect(try shown.json()["delivered"] as? Int == 1)
    }

    // MARK: Finding 8: control characters in text output

    @Test("pupil list shows a name's escape sequences and line breaks as visible escapes, one row per pupil")
    func pupilListEscapesControlCharacters() throws {
        let world = try Self.world.get()
        let upn = InclusionctlBlackBoxTests.upn("301100000009")
        let given = "\u{1B}]0;pwned\u{07}\u{1B}[2J"
        let family = "Evil\n\(upn)  FAKE ROW\u{202E}"
        let added = try world.run(
            as: world.admin,
            [
                "pupil", "add", "--school", "100002", "--upn", upn, "--given", given, "--family", family, "--dob",
                "2016-05-04", "--year", "6",
            ]
        )
        #expect(added.status == 0, "\(added.stderr)")
        let list = try world.run(as: world.admin, ["pupil", "list", "--school", "100002"])
        #expect(list.status == 0)
        for control in ["\u{1B}", "\u{07}", "\u{202E}", "\r"] {
            #expect(!list.stdout.contains(control))
        }
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 3, "a header and two pupils: \(list.stdout)")
        let row = try #require(lines.first { $0.hasPrefix(upn) })
        #expect(row.contains(#"Evil\n"# + upn + #"  FAKE ROW\u202e, \x1b]0;pwned\x07\x1b[2J"#))
        // JSON keeps the name exactly (the encoder escapes it).
        let json = try world.run(as: world.admin, ["pupil", "show", upn, "--json"])
        #expect(try json.json()["given_name"] as? String == given)
        #expect(try json.json()["family_name"] as? String == family)
    }

    @Test("case show keeps a note's lines, indented, and escapes what would act on the terminal")
    func caseShowEscapesNotes() throws {
        let world = try Self.world.get()
        let opened = try world.run(
            as: world.senco,
            ["case", "open", world.once, "--category", "concern", "--summary", "Summary\u{1B}[2J", "--json"]
        )
        #expect(opened.status == 0, "\(opened.stderr)")
        let id = String(try #require(try opened.json()["id"] as? Int))
        let text = "Met mum.\r\nAgreed a plan.\n2026-01-01  note by admin: fake line\u{1B}]2;title\u{07}\rover"
        let note = try world.run(as: world.staff, ["case", "note", id, "--kind", "note", "--text", text])
        #expect(note.status == 0, "\(note.stderr)")
        let shown = try world.run(as: world.senco, ["case", "show", id])
        #expect(shown.status == 0)
        #expect(!shown.stdout.contains("\u{1B}"))
        #expect(!shown.stdout.contains("\r"))
        #expect(shown.stdout.contains(#"summary: Summary\x1b[2J"#))
        let lines = shown.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(lines.firstIndex { $0.hasSuffix("by \(world.staff): Met mum.") })
        #expect(lines[first + 1] == "    | Agreed a plan.")
        #expect(lines[first + 2] == #"    | 2026-01-01  note by admin: fake line\x1b]2;title\x07\rover"#)
    }

    // MARK: Finding 14: input PostgreSQL would silently change

    @Test("a login of 64 bytes or one beginning pg_ is refused, naming login, and no role is made")
    func loginsPostgreSQLWouldChangeAreRefused() throws {
        let world = try Self.world.get()
        let long = world.database.login(String(repeating: "x", count: 64 - world.database.name.count - 1))
        #expect(long.utf8.count == 64)
        for (login, message) in [
            (long, "is too long (64 bytes; PostgreSQL keeps at most 63"), ("pg_evil", "begins with pg_"),
        ] {
            let refused = try world.run(
                as: world.admin,
                ["staff", "add", "--login", login, "--name", "X", "--role", "admin", "--json"]
            )
            #expect(refused.status == 65, "\(refused.stderr)")
            let error = try refused.errorJSON()
            #expect(error["field"] as? String == "login")
            #expect((error["message"] as? String)?.hasPrefix(message) == true)
        }
        let list = try world.run(as: world.admin, ["staff", "list", "--json"])
        let logins = try #require(try list.json()["items"] as? [[String: Any]]).compactMap { $0["login"] as? String }
        #expect(!logins.contains(String(long.prefix(63))))
        #expect(!logins.contains("pg_evil"))
    }

    @Test("--key-worker must be an enabled staff login at the pupil's school, and is never cut short")
    func keyWorkerIsChecked() throws {
        let world = try Self.world.get()
        let cases: [(login: String, String, String)] = [
            (world.admin, String(repeating: "k", count: 70), "is too long (70 bytes"),
            (world.admin, world.database.login("nobody"), "no staff login has this name"),
            (world.admin, world.disabled, "that login is disabled"),
            (world.admin, world.governor, "that is a readonly login"),
            (world.admin, world.otherStaff, "that member of staff does not work at this pupil's school"),
            (world.senco, String(repeating: "k", count: 64), "is too long (64 bytes"),
            (world.senco, world.database.login("nobody"), "no staff login has this name"),
            (world.senco, world.disabled, "that login is disabled"),
            (world.senco, world.governor, "that is a readonly login"),
            (world.senco, world.otherStaff, "that member of staff does not work at this pupil's school"),
        ]
        for (login, keyWorker, message) in cases {
            let refused = try world.run(as: login, ["pupil", "set", world.once, "--key-worker", keyWorker, "--json"])
            #expect(refused.status == 65, "\(login) \(keyWorker): \(refused.stderr)")
            let error = try refused.errorJSON()
            #expect(error["field"] as? String == "key-worker")
            #expect((error["message"] as? String)?.hasPrefix(message) == true, "\(error)")
        }
        #expect(try world.pupil(world.once, at: "100001")["key_worker"] as? String == nil)
        for (login, keyWorker) in [(world.admin, world.staff), (world.senco, world.senco)] {
            let set = try world.run(as: login, ["pupil", "set", world.once, "--key-worker", keyWorker])
            #expect(set.status == 0, "\(set.stderr)")
            #expect(try world.pupil(world.once, at: "100001")["key_worker"] as? String == keyWorker)
        }
    }

    @Test("an argument that is not UTF-8 is refused with exit 64 naming its option, and nothing is written")
    func invalidUTF8ArgumentsAreRefused() throws {
        let world = try Self.world.get()
        // Swift strings cannot hold bytes that are not UTF-8, so a shell's printf puts them in the argument.
        let script = #"exec "$0" --database "$1" pupil set "$2" --family "$(printf 'Nowak\377\376')" --json"#
        let result = try Self.runProcess(
            "/bin/sh",
            ["-c", script, world.cli.executable.path, world.database.conninfo(as: world.admin), world.once]
        )
        #expect(result.status == 64)
        let document = try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any]
        let error = try #require(document?["error"] as? [String: Any])
        #expect(error["field"] as? String == "family")
        let expected =
            "argument 7 (the value given with --family) is not valid UTF-8 text; set the terminal or script to UTF-8 "
            + "and type it again"
        #expect(error["message"] as? String == expected)
        #expect(try world.pupil(world.once, at: "100001")["family_name"] as? String == "Only")
    }

    // MARK: Finding 15: errors that name their field

    @Test(
        "values far out of range are refused naming their field",
        arguments: [
            (["pupil", "set", "UPN", "--dob", "99999-01-01"], "dob", "has a year outside 1900 to 2100"),
            (
                ["plan", "create", "UPN", "--kind", "sen-support", "--starts", "0001-01-01"], "starts",
                "has a year outside 1900 to 2100"
            ),
            (["school", "add", "--urn", "1234567890123", "--name", "Z", "--la", "201"], "urn", "a URN is 6 digits"),
            (["school", "add", "--urn", "100009", "--name", "Z", "--la", "99999999999"], "la", "an LA number is 3"),
            (["pupil", "list", "--school", "1234567890123"], "school", "a URN is 6 digits"),
            (["pupil", "show", "UPN", "--school", "1234567890123"], "school", "a URN is 6 digits"),
            (
                [
                    "intervention", "add", "UPN", "--name", "R", "--area", "semh", "--starts", "2026-01-05", "--ends",
                    "2026-02-01", "--per-week", "1", "--minutes", "20", "--cost-per-session", "999999999999",
                ], "cost-per-session", "is more than £1000000.00"
            ),
        ]
    )
    func valuesOutOfRangeNameTheirField(arguments: [String], field: String, message: String) throws {
        let world = try Self.world.get()
        let result = try world.run(as: world.admin, arguments.map { $0 == "UPN" ? world.once : $0 } + ["--json"])
        #expect(result.status == 65, "\(result.stderr)")
        let error = try result.errorJSON()
        #expect(error["field"] as? String == field)
        #expect((error["message"] as? String)?.hasPrefix(message) == true, "\(error)")
        #expect(try world.pupil(world.once, at: "100001")["date_of_birth"] as? String == "2016-05-04")
    }

    @Test("a connection string libpq cannot use is a configuration error (78), an unreachable server is 69")
    func badConnectionStringsExit78() throws {
        let world = try Self.world.get()
        for (conninfo, message) in [
            ("host=/tmp port=notanumber", "port must be a number"), ("nonsense", "is not a libpq connection string"),
            ("host=/tmp sslmode=sometimes", "sslmode must be one of"),
            ("host=/tmp connect_timeout=soon", "connect_timeout must be a whole number"),
            ("postgresql://[::1", "is not a libpq connection string"),
        ] {
            let result = try world.cli.run(["school", "list", "--database", conninfo, "--json"])
            #expect(result.status == 78, "\(conninfo): \(result.stderr)")
            let error = try result.errorJSON()
            #expect(error["field"] as? String == "database")
            #expect((error["message"] as? String)?.hasPrefix(message) == true, "\(error)")
        }
        let environment = try world.cli.run(["school", "list"], environment: ["DATABASE_URL": "nonsense"])
        #expect(environment.status == 78)
        #expect(environment.stderr.hasPrefix("error: DATABASE_URL: is not a libpq connection string"))
        let unreachable = try world.cli.run(["school", "list", "--database", "host=/nonexistent-dir port=5433"])
        #expect(unreachable.status == 69)
    }

    @Test("a UTF-16 CSV is named as UTF-16 with how to save it; a UTF-8 one with a byte order mark imports")
    func importNamesUTF16AndAcceptsAUTF8ByteOrderMark() throws {
        let world = try Self.world.get()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clibound-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text =
            "upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need\r\n"
            + "\(InclusionctlBlackBoxTests.upn("301100000011")),Ann,Lee,04/05/2016,6,K,SPLD,\r\n"
        let files: [(String, Data)] = [
            ("utf16le.csv", Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!),
            ("utf16be.csv", Data([0xFE, 0xFF]) + text.data(using: .utf16BigEndian)!),
            ("utf16-no-bom.csv", text.data(using: .utf16LittleEndian)!),
        ]
        for (name, data) in files {
            let path = directory.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: path))
            let result = try world.run(as: world.senco, ["pupil", "import", "--school", "100001", path, "--json"])
            #expect(result.status == 65, "\(name): \(result.stderr)")
            let error = try result.errorJSON()
            #expect(error["field"] as? String == "file")
            #expect(error["line"] as? Int == 1)
            #expect((error["message"] as? String)?.contains("looks like UTF-16 text, not UTF-8") == true, "\(error)")
        }
        let path = directory.appendingPathComponent("utf8-bom.csv").path
        try (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).write(to: URL(fileURLWithPath: path))
        let imported = try world.run(as: world.senco, ["pupil", "import", "--school", "100001", path, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.json()["added"] as? Int == 1)
    }

    // MARK: Finding 3: waiting for a lock another session holds

    @Test("a lock another session holds ends in a clear error within lock_timeout, not a wait without end")
    func heldLockEndsInAClearError() throws {
        let world = try Self.world.get()
        let holder = try world.database.connect(as: world.database.owner)
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE inclusion.pupil IN ACCESS EXCLUSIVE MODE")
        defer { _ = try? holder.query("ROLLBACK") }
        let add = [
            "pupil", "add", "--school", "100001", "--upn", InclusionctlBlackBoxTests.upn("301100000021"), "--given",
            "Lock", "--family", "Wait", "--dob", "2016-05-04", "--year", "6",
        ]

        // Each run is killed after 30 s, so that a build that waits without end fails this test instead of hanging it.
        func run(_ conninfo: String, environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
            let result = try Self.runProcess(
                "/usr/bin/timeout",
                ["-s", "KILL", "30", world.cli.executable.path, "--database", conninfo] + add,
                environment: environment
            )
            return (result.status, result.stderr)
        }
        let admin = world.database.conninfo(as: world.admin)

        let started = Date()
        let waited = try run(admin)
        let elapsed = Date().timeIntervalSince(started)
        #expect(waited.status == 69, "\(waited.stderr)")
        #expect(
            waited.stderr
                == "error: the database is busy: waited 10s (lock_timeout) for a lock that another session holds; "
                + "try again, or ask an admin to look at pg_stat_activity\n"
        )
        #expect(elapsed >= 9 && elapsed < 15, "waited \(elapsed) s")

        // A lock_timeout in the user's own connection string wins over inclusionctl's.
        let own = try run(admin + " options='-c lock_timeout=1s'")
        #expect(own.status == 69)
        #expect(own.stderr.hasPrefix("error: the database is busy: waited 1s (lock_timeout) for a lock"))

        // So does a statement_timeout from PGOPTIONS; running past it is a clear error too.
        let slow = try run(admin, environment: ["PGOPTIONS": "-c lock_timeout=0 -c statement_timeout=1500ms"])
        #expect(slow.status == 69)
        #expect(slow.stderr.hasPrefix("error: the database stopped the command: a statement ran longer than 1500ms"))
    }
}
