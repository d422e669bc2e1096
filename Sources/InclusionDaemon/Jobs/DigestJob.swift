import InclusionCore
import InclusionStore
import Logging
import Postgres

/// `digest`: each SENCO with an email address gets one plain-text message of their schools' lapses and what falls
/// due this week (``AlertEmail/digest(recipient:items:asOf:)``), through `sendmail -t -i`. Nothing is sent to a
/// SENCO with nothing to report, nor when `alerts.email` is not configured.
///
/// Each message's Message-ID is fixed by the day and the recipient (`digest-DAY-STAFF@inclusiond`): a run retried
/// after a failed send sends every message again, each under the id it had, so mail systems that deduplicate on
/// Message-ID drop the repeats. One statement reads every recipient and their alerts; no per-pupil round trips.
public struct DigestJob: DaemonJob {
    public static let name = "digest"
    /// At 07:00 on weekdays.
    public static let defaultSchedule = Schedule(configString: "0 7 * * 1-5")

    public init() {}

    public func run(_ context: JobContext) async throws {
        guard let email = context.settings.email else {
            context.logger.notice("digest: alerts.email is not configured; nothing sent")
            return
        }
        let asOf = context.asOf
        let recipients = try await context.session.withConnection { connection in
            try DeliveryStore(connection: connection).digests()
        }
        let transport = SendmailTransport(path: email.sendmail)
        var sent = 0
        var failed = 0
        for recipient in recipients {
            guard let text = AlertEmail.digest(recipient: recipient.name, items: recipient.items, asOf: asOf) else {
                continue
            }
            let message = EmailMessage(
                id: "digest-\(asOf)-\(recipient.staffID)",
                from: email.from,
                to: [recipient.email],
                subject: text.subject,
                body: text.body
            )
            let outcome = await transport.send(message)
            if outcome == .delivered {
                sent += 1
                context.metrics.recordDelivery(channel: "digest", outcome: "delivered")
            } else {
                failed += 1
                context.metrics.recordDelivery(channel: "digest", outcome: "failed")
                context.logger.warning(
                    "digest not sent",
                    metadata: ["staff.id": "\(recipient.staffID)", "outcome": "\(outcome)"]
                )
            }
        }
        context.logger.info(
            "digest done",
            metadata: ["digest.as_of": "\(asOf)", "digest.sent": "\(sent)", "digest.failed": "\(failed)"]
        )
        if failed > 0 {
            throw JobFailure(description: "\(failed) digest message(s) could not be sent")
        }
    }
}
