import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Record reviews of plans and interventions, and EHC annual-review milestones.",
            discussion: """
                Recording a plan's review moves its next review date on by the plan's cycle. For an EHC plan's annual \
                review, record the meeting date, when invitations went out (at least 2 weeks before the meeting) and \
                when the report went to the local authority (within 2 weeks after it).
                """,
            subcommands: [Record.self, Meeting.self, InvitationsSent.self, ReportSent.self, List.self]
        )
    }
}
