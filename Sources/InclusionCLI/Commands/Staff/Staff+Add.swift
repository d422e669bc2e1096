import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Staff {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a person: creates their PostgreSQL login in one group role and maps it to schools.",
            discussion: """
                Local Unix accounts log in by peer authentication with no password. Others get a SCRAM password:
                pipe it in with --password-stdin (it is hashed here; the clear text never reaches the server).

                Example:
                  inclusionctl staff add --login senco_oak --name "Priya Shah" --role senco \\
                      --school 100101 --email senco@oak.example
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The login role name (lower case).") var login: String
        @Option(help: "The person's name.") var name: String
        @Option(help: "What the login may do.") var role: StaffRole
        @Option(parsing: .upToNextOption, help: "URN of a school they serve (repeatable; admins need none).")
        var school: [Int] = []
        @Option(help: "Email address, for alert digests.") var email: String?
        @Flag(help: "Read a password from standard input.") var passwordStdin = false

        func run() throws {
            let login = try LoginName.validate(self.login, field: "login")
            for urn in school { _ = try SchoolURN.validate(urn, field: "school") }
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
}
