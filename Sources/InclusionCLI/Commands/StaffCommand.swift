import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Add, disable and list staff logins (admins).",
        subcommands: [StaffAdd.self, StaffDisable.self, StaffList.self]
    )
}

struct StaffAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a person: creates their PostgreSQL login in one group role and maps it to schools.",
        discussion: """
            Local Unix accounts log in by peer authentication with no password. Others get a SCRAM password:
            pipe it in with --password-stdin (it is hashed here; the clear text never reaches the server).
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The login role name (lower case).") var login: String
    @Option(help: "The person's name.") var name: String
    @Option(help: "admin, senco, staff or readonly.") var role: String
    @Option(parsing: .upToNextOption, help: "URN of a school they serve (repeatable; admins need none).")
    var school: [Int] = []
    @Option(help: "Email address, for alert digests.") var email: String?
    @Flag(help: "Read a password from standard input.") var passwordStdin = false

    func run() throws {
        let login = try LoginName.validate(self.login, field: "login")
        for urn in school { _ = try SchoolURN.validate(urn, field: "school") }
        let role = try StaffRole.parse(self.role, field: "role")
        let name = try TextField.validate(self.name, field: "name", maxLength: 200)
        var password: String?
        if passwordStdin {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            guard !text.isEmpty else {
                throw ValidationError(field: "password-stdin", message: "no password arrived on standard input")
            }
            password = text
        }
        let connection = try global.connect()
        let ids = try school.map { try SchoolID.find(urn: $0, connection: connection) }
        let id = try StaffStore(connection: connection).add(
            login: login,
            name: name,
            role: role,
            schools: ids,
            email: email,
            password: password
        )
        try global.output.created(id: id, "Added \(role.rawValue) login \(login).")
    }
}

struct StaffDisable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Disable a login: no login, no password, no schools. The role is kept, never reused."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The login role name.") var login: String

    func run() throws {
        let login = try LoginName.validate(self.login, field: "login")
        try StaffStore(connection: try global.connect()).disable(login: login)
        if global.json {
            try global.output.document(Disabled(login: login))
        } else {
            global.output.line("Disabled login \(login).")
        }
    }

    struct Disabled: Encodable {
        let version = 1
        let login: String
        let disabled = true
    }
}

struct StaffList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List staff logins.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let staff = try StaffStore(connection: try global.connect()).list()
        try global.output.list(staff) {
            global.output.table(
                ["LOGIN", "NAME", "ROLE", "SCHOOLS", "STATE"],
                staff.map {
                    [
                        $0.login, $0.name, $0.role, $0.schools.map(String.init).joined(separator: ","),
                        $0.disabled ? "disabled" : "active",
                    ]
                }
            )
        }
    }
}
