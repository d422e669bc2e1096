import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Plan {
    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Close a plan, dated today, with the reason (e.g. needs met, EHC plan issued, left).",
            discussion: """
                A closed plan is kept as history; a new plan is created, never reopened.

                Example:
                  inclusionctl plan close 7 --reason "needs met"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64
        @Option(help: "Why it closes (at most 2000 characters).") var reason: String

        func run() throws {
            let reason = try TextField.validate(self.reason, field: "reason", maxLength: 2000)
            let today = try global.today
            try PlanStore(connection: try global.connect()).close(plan: id, reason: reason, today: today)
            try global.output.changed(id: id, "Closed plan \(id) on \(today).")
        }
    }
}
