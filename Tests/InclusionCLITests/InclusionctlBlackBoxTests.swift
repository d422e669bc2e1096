import Foundation
import InclusionTestSupport
import Testing

/// The built `inclusionctl`, run as admin, SENCO and staff logins (never only the superuser, whom RLS does not
/// bind), pinning outputs and exit codes.
@Suite("inclusionctl as its users", .serialized)
struct InclusionctlBlackBoxTests {
    struct World: Sendable {
        let database: TestDatabase
        let cli: CommandRunner
        let admin: String
        let senco: String
        let staff: String
        let otherSenco: String

        func run(as login: String, _ arguments: [String], input: String? = nil) throws -> CommandRunner.Result {
            try cli.run(["--database", database.conninfo(as: login)] + arguments, input: input)
        }
    }

    static let world = Result { () throws -> World in
        let database = try TestDatabase.create(suite: "cli")
        let cli = try CommandRunner.inclusionctl()
        let owner = database.owner
        func setUp(_ arguments: [String]) throws {
            let result = try cli.run(["--database", database.conninfo(as: owner)] + arguments)
            guard result.status == 0 else { throw TestDatabaseError("set-up failed: \(arguments) \(result.stderr)") }
        }
        try setUp(["school", "add", "--urn", "100001", "--name", "Oakfield Primary", "--la", "201"])
        try setUp(["school", "add", "--urn", "100002", "--name", "Riverside Academy", "--la", "201", "--estab", "4001"])
        try setUp(["school", "add", "--urn", "100003", "--name", "Hillside School", "--la", "202"])
        let world = World(
            database: database,
            cli: cli,
            admin: database.login("ada"),
            senco: database.login("sam"),
            staff: database.login("tia"),
            otherSenco: database.login("rob")
        )
        try setUp(["staff", "add", "--login", world.admin, "--name", "Ada Admin", "--role", "admin"])
        try setUp([
            "staff", "add", "--login", world.senco, "--name", "Sam Senco", "--role", "senco", "--school", "100001",
        ])
        try setUp(["staff", "add", "--login", world.staff, "--name", "Tia TA", "--role", "staff", "--school", "100001"])
        try setUp([
            "staff", "add", "--login", world.otherSenco, "--name", "Rob", "--role", "senco", "--school", "100002",
        ])
        return world
    }

    /// A valid UPN for a 12-character body, from the DfE check-letter rule.
    static func upn(_ body: String) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
        let sum = body.enumerated().reduce(0) { $0 + Int(String($1.element))! * ($1.offset + 2) }
        return String(alphabet[sum % 23]) + body
    }

    @Test func adminSeesEverySchoolAsJSON() throws {
        let world = try Self.world.get()
        let result = try world.run(as: world.admin, ["school", "list", "--json"])
        #expect(result.status == 0)
        let items = try #require(try result.json()["items"] as? [[String: Any]])
        #expect(items.map { $0["urn"] as? Int } == [100001, 100002, 100003])
        #expect(items[1]["name"] as? String == "Riverside Academy")
        #expect(items[1]["estab"] as? Int == 4001)
        #expect(try result.json()["version"] as? Int == 1)
    }

    @Test func sencoSeesOnlyTheirOwnSchool() throws {
        let world = try Self.world.get()
        let result = try world.run(as: world.senco, ["school", "list", "--json"])
        #expect(result.status == 0)
        let items = try #require(try result.json()["items"] as? [[String: Any]])
        #expect(items.map { $0["urn"] as? Int } == [100001])
    }

    @Test func sencoAddsAndShowsAPupilOfTheirSchool() throws {
        let world = try Self.world.get()
        let upn = Self.upn("201100000001")
        let added = try world.run(
            as: world.senco,
            [
                "pupil", "add", "--school", "100001", "--upn", upn, "--given", "Zoë", "--family", "O'Brien-Nowak",
                "--dob", "2016-05-04", "--year", "6", "--sen", "K", "--eal", "--json",
            ]
        )
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try added.json()["id"] is Int)
        let need = try world.run(as: world.senco, ["pupil", "need", upn, "--primary", "spld", "--secondary", "SLCN"])
        #expect(need.status == 0, "\(need.stderr)")
        let shown = try world.run(as: world.senco, ["pupil", "show", upn, "--json"])
        #expect(shown.status == 0)
        let pupil = try shown.json()
        #expect(pupil["upn"] as? String == upn)
        #expect(pupil["given_name"] as? String == "Zoë")
        #expect(pupil["family_name"] as? String == "O'Brien-Nowak")
        #expect(pupil["date_of_birth"] as? String == "2016-05-04")
        #expect(pupil["year_group"] as? String == "6")
        #expect(pupil["school_urn"] as? Int == 100001)
        #expect(pupil["sen_status"] as? String == "K")
        #expect(pupil["eal"] as? Bool == true)
        #expect(pupil["pupil_premium"] as? Bool == false)
        let needs = try #require(pupil["needs"] as? [[String: String]])
        #expect(needs == [["code": "SPLD", "rank": "primary"], ["code": "SLCN", "rank": "secondary"]])

        // Staff of the same school read the pupil but cannot change them.
        let staffList = try world.run(as: world.staff, ["pupil", "list", "--json"])
        let listed = try #require(try staffList.json()["items"] as? [[String: Any]])
        #expect(listed.contains { $0["upn"] as? String == upn })
        let staffSet = try world.run(as: world.staff, ["pupil", "set", upn, "--family", "Changed", "--json"])
        #expect(staffSet.status == 77)
        #expect(try staffSet.errorJSON()["exit"] as? Int == 77)

        // The SENCO of another school cannot see them at all.
        let other = try world.run(as: world.otherSenco, ["pupil", "show", upn, "--json"])
        #expect(other.status == 66)
        #expect(try other.errorJSON()["field"] as? String == "upn")
    }

    @Test func sencoCannotAddAPupilToAnotherSchool() throws {
        let world = try Self.world.get()
        let result = try world.run(
            as: world.senco,
            [
                "pupil", "add", "--school", "100002", "--upn", Self.upn("201200000009"), "--given", "A", "--family",
                "B",
                "--dob", "2016-05-04", "--year", "6", "--json",
            ]
        )
        #expect(result.status == 66)
        let error = try result.errorJSON()
        #expect(error["field"] as? String == "school")
    }

    @Test func aBadUPNIsInvalidDataNamingTheField() throws {
        let world = try Self.world.get()
        var upn = Array(Self.upn("201100000077"))
        upn[0] = upn[0] == "A" ? "B" : "A"
        let result = try world.run(
            as: world.senco,
            [
                "pupil", "add", "--school", "100001", "--upn", String(upn), "--given", "A", "--family", "B",
                "--dob", "2016-05-04", "--year", "6", "--json",
            ]
        )
        #expect(result.status == 65)
        let error = try result.errorJSON()
        #expect(error["exit"] as? Int == 65)
        #expect(error["field"] as? String == "upn")
        #expect((error["message"] as? String)?.contains("check letter") == true)
        #expect(result.stdout.isEmpty)
    }

    @Test func staffAndSencosCannotAddStaffButAnAdminWithoutCreateroleCan() throws {
        let world = try Self.world.get()
        for login in [world.staff, world.senco] {
            let refused = try world.run(
                as: login,
                [
                    "staff", "add", "--login", world.database.login("x_\(login.suffix(3))"), "--name", "X", "--role",
                    "admin", "--json",
                ]
            )
            #expect(refused.status == 77, "\(login): \(refused.stderr)")
        }
        let added = try world.run(
            as: world.admin,
            [
                "staff", "add", "--login", world.database.login("newta"), "--name", "New TA", "--role", "staff",
                "--school", "100003", "--password-stdin", "--json",
            ],
            input: "correct horse battery staple\n"
        )
        #expect(added.status == 0, "\(added.stderr)")
        let list = try world.run(as: world.admin, ["staff", "list", "--json"])
        let staff = try #require(try list.json()["items"] as? [[String: Any]])
        let newTA = try #require(staff.first { $0["login"] as? String == world.database.login("newta") })
        #expect(newTA["role"] as? String == "staff")
        #expect(newTA["schools"] as? [Int] == [100003])
        let disabled = try world.run(as: world.admin, ["staff", "disable", world.database.login("newta")])
        #expect(disabled.status == 0)
        #expect(disabled.stdout == "Disabled login \(world.database.login("newta")).\n")
    }

    @Test func auditVerifyIsForAdmins() throws {
        let world = try Self.world.get()
        let admin = try world.run(as: world.admin, ["audit", "verify", "--json"])
        #expect(admin.status == 0, "\(admin.stderr)")
        #expect(try admin.json()["ok"] as? Bool == true)
        let senco = try world.run(as: world.senco, ["audit", "verify"])
        #expect(senco.status == 77)
    }

    @Test func onlyTheOwnerMigrates() throws {
        let world = try Self.world.get()
        let result = try world.run(as: world.admin, ["db", "migrate", "--json"])
        #expect(result.status == 77)
        let owner = try world.run(as: world.database.owner, ["db", "status", "--json"])
        #expect(owner.status == 0)
        let migrations = try #require(try owner.json()["migrations"] as? [[String: Any]])
        #expect(migrations.allSatisfy { $0["state"] as? String == "applied" })
    }

    @Test func usageErrorsExit64AndUnreachableDatabasesExit69() throws {
        let world = try Self.world.get()
        let usage = try world.cli.run(["pupil", "add", "--bogus"])
        #expect(usage.status == 64)
        let usageJSON = try world.cli.run(["pupil", "show", "--json"])
        #expect(usageJSON.status == 64)
        #expect(try usageJSON.errorJSON()["exit"] as? Int == 64)
        let unreachable = try world.cli.run(["--database", "host=/nonexistent-socket-dir dbname=x", "school", "list"])
        #expect(unreachable.status == 69)
        #expect(unreachable.stderr.contains("cannot reach PostgreSQL"))
    }

    @Test func leadingAndTrailingGlobalOptionsAreTheSame() throws {
        let world = try Self.world.get()
        let leading = try world.cli.run([
            "--json", "--database", world.database.conninfo(as: world.admin), "school", "list",
        ])
        let trailing = try world.cli.run([
            "school", "list", "--database", world.database.conninfo(as: world.admin), "--json",
        ])
        #expect(leading.status == 0)
        #expect(leading.stdout == trailing.stdout)
    }
}
