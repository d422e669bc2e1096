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
                when the report went to the local authority (within 2 weeks after it). Then record the local \
                authority's decision (within 4 weeks of the meeting) and, when it amends the plan, the day it proposed \
                the amendments and the day it issued the amended plan (within 8 weeks of the proposal).
                """,
            subcommands: [
                Record.self, Meeting.self, InvitationsSent.self, ReportSent.self, Decision.self,
                AmendmentProposed.self, AmendedIssued.self, List.self,
            ]
        )
    }
}
