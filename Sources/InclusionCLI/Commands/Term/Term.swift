import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Term: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "term",
            abstract: "Record a school's terms and closures: school days drive every review and lapse rule.",
            subcommands: [Add.self, List.self, Closure.self]
        )
    }
}
