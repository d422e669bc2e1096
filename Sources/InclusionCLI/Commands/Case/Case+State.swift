import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Case {
    struct State: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Move a case to assessing or monitoring.",
            discussion: """
                To close a case use `case close CASE --outcome TEXT`, which records the outcome.

                Example:
                  inclusionctl case state 12 --to monitoring
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64
        @Option(help: "The new state.") var to: Target

        func run() throws {
            let next = to.state
            try CaseStore(connection: try global.connect()).move(case: id, to: next)
            try global.output.changed(id: id, "Case \(id) is now \(next).")
        }
    }
}
