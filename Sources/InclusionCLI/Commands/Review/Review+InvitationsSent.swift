import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct InvitationsSent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invitations-sent",
            abstract: "Record the day invitations to an EHC annual review went out (at least 2 weeks before it).",
            discussion: """
                Example:
                  inclusionctl review invitations-sent --plan 7 --on 2026-10-23
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @OptionGroup var options: MilestoneOptions

        func run() throws { try options.record(.invitationsSent, global: global) }
    }
}
