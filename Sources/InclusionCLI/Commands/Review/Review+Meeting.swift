import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct Meeting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "meeting",
            abstract: "Record the date of an EHC plan's annual review meeting (arranged or held).",
            discussion: """
                A meeting date after the last report was sent starts the next annual review: the previous review's \
                invitation and report dates, the LA's decision and the amendment dates are cleared so they are \
                watched afresh.

                Example:
                  inclusionctl review meeting --plan 7 --on 2026-11-20
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @OptionGroup var options: MilestoneOptions

        func run() throws { try options.record(.meeting, global: global) }
    }
}
