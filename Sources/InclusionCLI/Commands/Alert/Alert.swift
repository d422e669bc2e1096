import ArgumentParser

extension Inclusionctl {
    struct Alert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alert",
            abstract: "See and answer the alerts the review sweep raises when reviews or interventions lapse.",
            discussion: """
                The daemon's review-sweep job raises one alert per lapse (the rules are listed by `alert rules`), \
                resolves it itself when the condition clears or the pupil leaves, and escalates it when it stays \
                open. SENCOs and admins acknowledge, snooze or resolve their schools' alerts; staff may read them.
                """,
            subcommands: [
                List.self, Show.self, Ack.self, Snooze.self, Resolve.self, Rules.self, Deliveries.self, Redeliver.self,
                Webhook.self,
            ]
        )
    }
}
