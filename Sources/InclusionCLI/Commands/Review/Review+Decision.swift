import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct Decision: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decision",
            abstract: "Record the local authority's decision after an EHC annual review meeting (within 4 weeks).",
            discussion: """
                The local authority decides to keep the plan as it is, amend it, or cease to maintain it (SEND \
                Regulations 2014 reg 20(10)). Record the day it told you: not in the future, and not before the \
                review meeting when one is recorded. Until it is recorded, the plan raises ehcp-review-decision-late \
                4 weeks after the meeting, so the school chases the LA.

                Example:
                  inclusionctl review decision --plan 7 --on 2026-12-11 --to amend
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The EHC plan.") var plan: Int64
        @Option(help: ArgumentHelp("The day the LA made its decision (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date"))
        var on: String
        @Option(help: "What the LA decided.") var to: LADecision

        func run() throws {
            let day = try Day.parse(on, field: "on")
            let today = try global.today
            try PlanStore(connection: try global.connect()).setDecision(to, plan: plan, on: day, today: today)
            try global.output.changed(id: plan, "The LA's decision on plan \(plan) recorded: \(to), on \(day).")
        }
    }
}

extension LADecision: ExpressibleByArgument {}
