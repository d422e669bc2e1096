import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Plan {
    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "activate",
            abstract: "Put a draft plan in force; its next review date is worked out now.",
            discussion: """
                A pupil can have one active plan of each kind: close the old one first.

                Example:
                  inclusionctl plan activate 7
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64

        func run() throws {
            let store = PlanStore(connection: try global.connect())
            try store.activate(plan: id)
            if global.json {
                try global.output.changed(id: id, "")
                return
            }
            let due = try store.show(plan: id).nextReviewDue
            global.output.line("Plan \(id) is active; next review due \(due?.description ?? "-").")
        }
    }
}
