import Foundation

/// Whether the configured channels need network access that the shipped unit's sandbox denies
/// (`IPAddressDeny=any`, loopback only), for a clear warning at start-up and on reload instead of deliveries that
/// fail for hours. Under systemd (`INVOCATION_ID` set) and without the outbound drop-in's
/// `INCLUSIOND_OUTBOUND=allowed`, each webhook to a non-loopback host and email (sendmail hands mail to a relay)
/// is named.
enum OutboundCheck {
    static func warnings(_ settings: DeliverySettings, environment: [String: String]) -> [String] {
        guard environment["INVOCATION_ID"] != nil, environment["INCLUSIOND_OUTBOUND"] != "allowed" else { return [] }
        var warnings: [String] = []
        for endpoint in settings.webhooks {
            let host = endpoint.url.host(percentEncoded: false) ?? ""
            if !WebhookEndpoint.isLoopback(host) {
                warnings.append(
                    "webhook \(endpoint.name) is configured but the unit's sandbox (IPAddressDeny=any) will block it: "
                        + "install systemd/outbound.conf as a drop-in with the receiver's addresses"
                )
            }
        }
        if settings.email != nil {
            warnings.append(
                "email is configured; if sendmail hands mail to a relay on another host, the unit's sandbox "
                    + "(IPAddressDeny=any) blocks it: install systemd/outbound.conf as a drop-in with the relay's address"
            )
        }
        return warnings
    }
}
