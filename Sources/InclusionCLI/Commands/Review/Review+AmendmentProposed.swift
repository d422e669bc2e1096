import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct AmendmentProposed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amendment-proposed",
            abstract: "Record the day the local authority sent its proposed amendments to an EHC plan.",
            discussion: """
                The amended plan is due within 8 weeks of the proposal (SEND Regulations 2014 reg 22); until it is \
                recorded with `review amended-issued`, the plan raises ehcp-amendment-late after that. A proposal \
                later than the last amended plan starts another amendment.

                Example:
                  inclusionctl review amendment-proposed --plan 7 --on 2026-12-18
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @OptionGroup var options: MilestoneOptions

        func run() throws { try options.record(.amendmentsProposed, global: global) }
    }
}
