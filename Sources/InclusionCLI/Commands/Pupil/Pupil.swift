import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl {
    struct Pupil: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pupil",
            abstract: "Add, change, import and look up pupils and their special educational needs.",
            subcommands: [Add.self, Set.self, Import.self, Show.self, List.self, Need.self]
        )
    }
}
