import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct School: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "school",
            abstract: "Add, change and list the trust's schools (adding and renaming are for admins).",
            subcommands: [Add.self, Set.self, List.self]
        )
    }
}
