import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Create and keep SEN support plans and EHC plans, with their outcomes and review dates.",
            discussion: """
                A pupil has at most one active plan of each kind. Reviews fall due on the plan's cycle: SEN support \
                plans termly by default (the last day of the first term ending at least 6 weeks after the plan started \
                or was last reviewed), EHC plans every 12 months from issue or last review (6 months for a child under \
                5). Record reviews with `review record --plan PLAN`.
                """,
            subcommands: [Create.self, Activate.self, Close.self, Outcome.self, Show.self]
        )
    }
}
