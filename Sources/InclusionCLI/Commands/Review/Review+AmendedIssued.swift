import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct AmendedIssued: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amended-issued",
            abstract: "Record the day the local authority issued an EHC plan's amended plan (within 8 weeks).",
            discussion: """
                The day is not in the future, and not before the proposed amendments when they are recorded (SEND \
                Regulations 2014 reg 22). For a pupil changing phase, the amended plan naming the next setting is \
                what the phase-transfer deadline waits for.

                Example:
                  inclusionctl review amended-issued --plan 7 --on 2027-02-05
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @OptionGroup var options: MilestoneOptions

        func run() throws { try options.record(.amendedIssued, global: global) }
    }
}
