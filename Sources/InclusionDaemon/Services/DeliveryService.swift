import Foundation
import InclusionCore
import InclusionStore
import Logging
import Postgres
import ServiceLifecycle

/// Sends the alert outbox (DESIGN §6): claims due deliveries with SKIP LOCKED under a lease, sends each through its
/// channel (a signed webhook, or email through sendmail for a critical alert), and records the outcome. A `Service`
/// of its own, not a job: the job runner runs one job at a time, and a slow receiver must never hold up a sweep.
///
/// At least once, one id per delivery: a daemon killed mid-send leaves its claim to run out, and the next claim
/// (here or on another instance) sends it again under the same `webhook-id` / `Message-ID`. Woken by the outbox's
/// NOTIFY (`delivery:` on `inclusion_control`), and otherwise by the next delivery falling due; never busy.
struct DeliveryService: Service, CustomStringConvertible {
    /// The longest it sleeps with nothing due (another instance's NOTIFY may have been missed while reconnecting).
    static let idleWait = Duration.seconds(30)
    /// Deliveries claimed at once; they are sent concurrently.
    static let batch = 16

    let session: ConfinedConnection
    let state: DaemonState
    let metrics: DaemonMetrics
    let logger: Logger
    var description: String { "delivery" }

    func run() async throws {
        var webhook: WebhookTransport?
        var webhookTimeout: ConfigDuration?
        var recorded: [String]?
        defer {
            if let webhook { Task { try? await webhook.shutdown() } }
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let settings = state.configuration.delivery
            let channels = settings.channels
            if webhookTimeout != settings.webhookTimeout {
                try? await webhook?.shutdown()
                webhook = WebhookTransport(timeout: settings.webhookTimeout.duration)
                webhookTimeout = settings.webhookTimeout
            }
            let wait: Duration
            do {
                if recorded != channels {
                    try await session.withConnection { connection in
                        try DeliveryStore(connection: connection).recordChannels(channels)
                    }
                    recorded = channels
                }
                let instance = state.instanceID
                let claimed = try await session.withConnection { connection in
                    try DeliveryStore(connection: connection).claim(
                        channels: channels,
                        limit: Self.batch,
                        lease: settings.claimLease,
                        instance: instance
                    )
                }
                if !claimed.isEmpty, let webhook {
                    await withTaskGroup(of: Void.self) { group in
                        for delivery in claimed {
                            group.addTask { await self.deliver(delivery, settings: settings, webhook: webhook) }
                        }
                    }
                    continue
                }
                let due = try await session.withConnection { connection in
                    try DeliveryStore(connection: connection).nextDue(channels: channels)
                }
                wait = min(due ?? Self.idleWait, Self.idleWait)
            } catch {
                logger.debug("delivery waiting for the database", metadata: ["error": "\(DaemonErrorText(error))"])
                wait = .seconds(1)
            }
            if wait > .zero {
                _ = await cancelWhenGracefulShutdown { await state.deliveryWakeup.wait(upTo: wait) }
            }
        }
    }

    /// Sends one claimed delivery and records what came of it.
    func deliver(_ delivery: ClaimedDelivery, settings: DeliverySettings, webhook: WebhookTransport) async {
        var logger = self.logger
        logger[metadataKey: "delivery.id"] = "\(delivery.id)"
        logger[metadataKey: "alert.id"] = "\(delivery.alertID)"
        logger[metadataKey: "delivery.channel"] = "\(delivery.channel)"
        let outcome = await send(delivery, settings: settings, webhook: webhook)
        let decision = DeliveryDecision.after(
            outcome,
            attempts: delivery.attempts,
            schedule: settings.retrySchedule,
            jitter: Double.random(in: 0..<1)
        )
        let kind = delivery.channel.hasPrefix("webhook:") ? "webhook" : delivery.channel
        do {
            try await session.withConnection { connection in
                let store = DeliveryStore(connection: connection)
                switch decision {
                case .delivered: try store.delivered(delivery.id)
                case .retry(let after, let reason): try store.retry(delivery.id, after: after, reason: reason)
                case .dead(let reason): try store.dead(delivery.id, reason: reason)
                case .disableChannel(let reason):
                    try store.disable(channel: delivery.channel, deliveryID: delivery.id, reason: reason)
                }
            }
        } catch {
            // The claim runs out and the delivery is sent again under the same id: at least once.
            logger.warning(
                "delivery outcome not recorded; it will be sent again",
                metadata: ["error": "\(DaemonErrorText(error))"]
            )
            return
        }
        switch decision {
        case .delivered:
            metrics.recordDelivery(channel: kind, outcome: "delivered")
            logger.info("alert delivered", metadata: ["delivery.attempt": "\(delivery.attempts)"])
        case .retry(let after, let reason):
            metrics.recordDelivery(channel: kind, outcome: "retry")
            logger.notice(
                "alert delivery failed; will retry",
                metadata: [
                    "delivery.attempt": "\(delivery.attempts)", "reason": "\(reason)",
                    "retry.seconds": "\(after.components.seconds)",
                ]
            )
        case .dead(let reason):
            metrics.recordDelivery(channel: kind, outcome: "dead")
            logger.error(
                "alert delivery dead: see `inclusionctl alert deliveries --dead`",
                metadata: ["delivery.attempt": "\(delivery.attempts)", "reason": "\(reason)"]
            )
        case .disableChannel(let reason):
            metrics.recordDelivery(channel: kind, outcome: "gone")
            logger.error(
                "webhook endpoint gone; disabled until `inclusionctl alert webhook enable NAME`",
                metadata: ["reason": "\(reason)"]
            )
        }
    }

    func send(_ delivery: ClaimedDelivery, settings: DeliverySettings, webhook: WebhookTransport) async
        -> DeliveryOutcome
    {
        if delivery.channel.hasPrefix("webhook:") {
            let name = String(delivery.channel.dropFirst("webhook:".count))
            guard let endpoint = settings.webhooks.first(where: { $0.name == name }) else {
                return .retry(after: nil, reason: "endpoint \(name) is no longer configured")
            }
            let event = WebhookEvent(
                id: delivery.id,
                type: delivery.event,
                alertID: delivery.alertID,
                rule: delivery.rule,
                schoolURN: delivery.schoolURN,
                dueOn: delivery.dueOn.description,
                severity: delivery.severity,
                occurredAt: Date(timeIntervalSince1970: delivery.occurredAt)
            )
            return await webhook.send(event, to: endpoint, now: Date())
        }
        guard delivery.channel == "email", let email = settings.email else {
            return .retry(after: nil, reason: "channel \(delivery.channel) is not configured")
        }
        let escalated = delivery.event == "alert.escalated"
        let recipients: [String]
        do {
            recipients = try await session.withConnection { connection in
                try DeliveryStore(connection: connection).emailRecipients(
                    school: delivery.schoolID,
                    includeAdmins: escalated
                )
            }
        } catch {
            return .retry(after: nil, reason: "cannot read the recipients")
        }
        guard !recipients.isEmpty, let rule = AlertRuleName(rawValue: delivery.rule),
            let severity = AlertSeverity(rawValue: delivery.severity)
        else {
            return .failed(reason: "no SENCO of the school has an email address (staff add --email)")
        }
        let text = AlertEmail.critical(
            AlertEmail.Item(
                alertID: delivery.alertID,
                rule: rule,
                severity: severity,
                schoolName: delivery.schoolName,
                pupil: delivery.pupil,
                dueOn: delivery.dueOn
            ),
            escalated: escalated
        )
        return await SendmailTransport(path: email.sendmail).send(
            EmailMessage(id: delivery.id, from: email.from, to: recipients, subject: text.subject, body: text.body)
        )
    }
}
