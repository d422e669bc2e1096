import ArgumentParser
import InclusionStore

extension Inclusionctl.Alert {
    struct Webhook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "webhook",
            abstract: "Manage the webhook endpoints alerts are delivered to.",
            subcommands: [Enable.self]
        )

        struct Enable: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "enable",
                abstract: "Take deliveries to a webhook endpoint again after it answered 410 Gone.",
                discussion: """
                    An endpoint that answers 410 Gone is disabled: nothing more is sent to it, and its deliveries \
                    wait. Enabling it sends them, under their own ids. Admins only; NAME is the endpoint's name in \
                    alerts.webhooks.

                    Example:
                      inclusionctl alert webhook enable trust-hub
                    """
            )

            @ParentCommand var inclusionctl: Inclusionctl
            var global: GlobalOptions { inclusionctl.global }
            @Argument(help: ArgumentHelp("The endpoint's name in alerts.webhooks.", valueName: "name")) var name: String

            func run() throws {
                let wasDisabled = try DeliveryStore(connection: try global.connect()).enableWebhook(name)
                if global.output.json {
                    try global.output.document(Enabled(name: name, wasDisabled: wasDisabled))
                } else {
                    global.output.line(
                        wasDisabled
                            ? "Webhook \(name) is enabled; its waiting deliveries go out now."
                            : "Webhook \(name) was not disabled; nothing changed."
                    )
                }
            }

            struct Enabled: Encodable {
                let version = 1
                let name: String
                let wasDisabled: Bool
                let ok = true

                enum CodingKeys: String, CodingKey {
                    case version, name, ok
                    case wasDisabled = "was_disabled"
                }
            }
        }
    }
}
