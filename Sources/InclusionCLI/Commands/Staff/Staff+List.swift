import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Staff {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List staff logins."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

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
}
