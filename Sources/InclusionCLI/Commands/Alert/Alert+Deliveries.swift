import ArgumentParser
import InclusionStore

extension Inclusionctl.Alert {
    struct Deliveries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deliveries",
            abstract: "List alert deliveries by webhook and email that have not gone out yet, or have given up.",
            discussion: """
                Each alert raised, escalated or resolved is delivered to every configured webhook, and a critical \
                one by email to the school's SENCOs, from an outbox the daemon works through. A delivery keeps one \
                id across its attempts (the webhook-id header, the email's Message-ID); a failed one is tried \
                again on the schedule of alerts.retry-schedule and is dead once that is used up. Admins see every \
                school's deliveries, SENCOs their own schools'.

                Examples:
                  inclusionctl alert deliveries
                  inclusionctl alert deliveries --dead --json
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Flag(help: "Only deliveries that gave up (redeliver them with `alert redeliver ID`).") var dead = false
        @Flag(help: "Every delivery, those delivered included.") var all = false

        func validate() throws {
            if dead && all { throw ArgumentParser.ValidationError("--dead and --all cannot be used together") }
        }

        func run() throws {
            let deliveries = try DeliveryStore(connection: try global.connect()).list(dead: dead, all: all)
            try global.output.list(deliveries) {
                global.output.table(
                    ["ID", "ALERT", "SCHOOL", "CHANNEL", "EVENT", "STATE", "ATTEMPTS", "NEXT", "LAST ERROR"],
                    deliveries.map {
                        [
                            $0.id, String($0.alertID), String($0.schoolURN), $0.channel, $0.event, $0.state,
                            String($0.attempts), $0.nextAttemptAt ?? "-", $0.lastError ?? "-",
                        ]
                    }
                )
            }
        }
    }
}
