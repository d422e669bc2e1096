import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Intervention: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "intervention",
            abstract: "Set up interventions for a pupil or a group, log their sessions and end them.",
            discussion: """
                A group shares one session log and one cost per session. Staff (teachers, TAs) may log sessions; \
                SENCOs set interventions up and end them. In JSON, cost_per_session is in pence (1250 is £12.50).
                """,
            subcommands: [
                Add.self, Session.self, End.self, List.self,
                Show.self,
            ]
        )
    }
}
