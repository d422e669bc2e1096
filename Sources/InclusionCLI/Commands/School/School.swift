import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct School: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "school",
            abstract: "Add and list the trust's schools (adding is for admins).",
            subcommands: [Add.self, List.self]
        )
    }
}
