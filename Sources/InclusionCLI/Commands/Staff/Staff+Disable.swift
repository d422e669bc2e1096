import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Staff {
    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable a login: no login, no password, no schools. The role is kept, never reused.",
            discussion: """
                Example:
                  inclusionctl staff disable ta_oak
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
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
}
