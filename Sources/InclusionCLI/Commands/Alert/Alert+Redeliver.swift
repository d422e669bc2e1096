import ArgumentParser
import Foundation
import InclusionStore

extension Inclusionctl.Alert {
    struct Redeliver: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redeliver",
            abstract: "Send a delivery again now, under the same id (after fixing a receiver, say).",
            discussion: """
                The delivery's attempts start again from the beginning of alerts.retry-schedule. Receivers see \
                the same webhook-id or Message-ID as before, so one that already has it can ignore it.

                Example:
                  inclusionctl alert redeliver 7c9e6679-7425-40de-944b-e07fc1f90ae7
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The delivery's id (from `alert deliveries`).", valueName: "delivery"))
        var delivery: String

        func validate() throws {
            guard UUID(uuidString: delivery) != nil else {
                throw ArgumentParser.ValidationError("'\(delivery)' is not a delivery id (see `alert deliveries`)")
            }
        }

        func run() throws {
            let id = delivery.lowercased()
            try DeliveryStore(connection: try global.connect()).redeliver(id)
            if global.output.json {
                try global.output.document(Redelivered(id: id))
            } else {
                global.output.line("Delivery \(id) will be sent again now.")
            }
        }

        struct Redelivered: Encodable {
            let version = 1
            let id: String
            let ok = true
        }
    }
}
