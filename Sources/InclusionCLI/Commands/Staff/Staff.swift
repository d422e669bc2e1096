import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Staff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staff",
            abstract: "Add, disable and list staff logins (admins).",
            subcommands: [Add.self, Disable.self, List.self]
        )
    }
}
