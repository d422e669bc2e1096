public import InclusionCore

/// `alerts.email`, `alerts.retry-schedule`, `alerts.webhooks` and `alerts.webhook.NAME.*` (DESIGN §6 and §7): where
/// alerts are delivered beyond the journal and NOTIFY, and how often a failed delivery is tried again.
public struct DeliverySettings: Sendable, Equatable {
    /// `alerts.email.*`: set when `alerts.email.from` is; email is off without it.
    public struct Email: Sendable, Equatable {
        /// `alerts.email.sendmail` (default /usr/sbin/sendmail): run as `sendmail -t -i`.
        public var sendmail = "/usr/sbin/sendmail"
        /// `alerts.email.from`: the From address.
        public var from: String

        public init(sendmail: String = "/usr/sbin/sendmail", from: String) {
            self.sendmail = sendmail
            self.from = from
        }
    }

    /// `alerts.email`, or nil when email is off.
    public var email: Email?
    /// `alerts.retry-schedule` (default Standard Webhooks': 5s, 5min, 30min, 2h, 5h, 10h, 10h).
    public var retrySchedule = RetrySchedule.standard
    /// `alerts.webhooks` with each `alerts.webhook.NAME`, in delivery order.
    public var webhooks: [WebhookEndpoint] = []
    /// `alerts.webhook-timeout` (default 15s): how long one webhook request may take.
    public var webhookTimeout = ConfigDuration(seconds: 15)

    public init() {}

    /// The outbox channels these settings name (migration 0012): `email` and `webhook:NAME`.
    public var channels: [String] {
        (email == nil ? [] : ["email"]) + webhooks.map { "webhook:\($0.name)" }
    }

    /// How long a claimed delivery is held before another sender may take it: long enough for the slowest send of
    /// a batch to finish and be recorded, and no longer, since a daemon killed mid-send leaves its claims this long.
    /// A webhook attempt takes at most twice `webhook-timeout` (the response, then draining its body); an email one
    /// sendmail's 30 s, counted only when email is configured; then 5 s to record the outcome.
    public var claimLease: Duration {
        let webhook = webhookTimeout.duration * 2
        let slowest = email == nil ? webhook : max(webhook, SendmailTransport.defaultTimeout)
        return slowest + .seconds(5)
    }
}
