import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Plan {
    struct Outcome: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outcome",
            abstract: "Add a SMART outcome to a plan.",
            discussion: """
                Example:
                  inclusionctl plan outcome 7 --area cognition-learning --by 2027-03-26 \\
                      --text "Reads 40 words a minute from a book at his level"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64
        @Option(help: "The area of need (SEND Code of Practice 6.28).") var area: AreaOfNeed
        @Option(help: "The outcome, specific and measurable (at most 4000 characters).") var text: String
        @Option(help: ArgumentHelp("The day it should be achieved by (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date"))
        var by: String?

        func run() throws {
            let text = try TextField.validate(self.text, field: "text", maxLength: 4000)
            let by = try self.by.map { text throws(ValidationError) in try Day.parse(text, field: "by") }
            let outcome = try PlanStore(connection: try global.connect()).addOutcome(
                plan: id,
                area: area,
                text: text,
                by: by
            )
            try global.output.created(id: outcome, "Added outcome \(outcome) (\(area)) to plan \(id).")
        }
    }
}
