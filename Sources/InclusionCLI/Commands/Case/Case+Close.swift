import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Case {
    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close a case with its outcome, dated today. Closing is final.",
            discussion: """
                Example:
                  inclusionctl case close 12 --outcome "Placed on SEN support; plan 7"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64
        @Option(help: "What was decided or achieved (at most 2000 characters).") var outcome: String

        func run() throws {
            let outcome = try TextField.validate(self.outcome, field: "outcome", maxLength: 2000)
            let today = try global.today
            try CaseStore(connection: try global.connect()).close(case: id, outcome: outcome, today: today)
            try global.output.changed(id: id, "Closed case \(id) on \(today).")
        }
    }
}
