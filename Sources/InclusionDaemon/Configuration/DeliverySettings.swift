import Foundation
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

extension DeliverySettings {
    /// `alerts.email.*`, `alerts.retry-schedule`, `alerts.webhook-timeout`, `alerts.webhooks` and
    /// `alerts.webhook.NAME.*`, from a reader scoped to `alerts`, over these settings. A webhook's `secret-file` is
    /// read now (relative names in `$CREDENTIALS_DIRECTORY`), so a missing or bad secret is a configuration error at
    /// start-up or reload, never a failed delivery later.
    mutating func read(_ alerts: ConfigScope, credentials: String?) {
        let emailScope = alerts.scoped(to: "email")
        let sendmail = emailScope.string("sendmail")
        if let from = emailScope.string("from")?.trimmingWhitespace, !from.isEmpty {
            if from.contains(where: { $0 == "\r" || $0 == "\n" }) || !from.contains("@") {
                emailScope.problem("from", "'\(from)' is not an email address")
            } else {
                email = Email(sendmail: sendmail ?? "/usr/sbin/sendmail", from: from)
            }
        }
        if let sendmail, !sendmail.hasPrefix("/") {
            emailScope.problem("sendmail", "must be an absolute path, not '\(sendmail)'")
        }
        if let steps = alerts.list("retry-schedule") {
            var delays: [Duration] = []
            for step in steps {
                guard let parsed = ConfigDuration(step), parsed.milliseconds >= 1000,
                    parsed.milliseconds <= 7 * 86_400_000
                else {
                    alerts.problem("retry-schedule", "'\(step)' is not a wait from 1s to 7d (write 5s, 5min, 2h)")
                    continue
                }
                delays.append(parsed.duration)
            }
            if steps.count > 20 {
                alerts.problem("retry-schedule", "lists at most 20 waits")
            }
            retrySchedule = RetrySchedule(delays: delays)
        }
        if alerts.string("webhook-timeout") != nil {
            if let parsed = alerts.value("webhook-timeout", as: ConfigDuration.self), parsed.milliseconds >= 1000,
                parsed.milliseconds <= 60_000
            {
                webhookTimeout = parsed
            } else {
                alerts.problem("webhook-timeout", "must be a duration from 1s to 60s")
            }
        }
        let webhookScope = alerts.scoped(to: "webhook")
        if alerts.isListingKeys {
            // Every listed webhook's keys, `*` standing for its name.
            _ = Self.webhook(webhookScope.scoped(to: "*"), named: "*", credentials: credentials)
        }
        var seen: Set<String> = []
        for name in alerts.list("webhooks") ?? [] {
            guard name.wholeMatch(of: /[a-z0-9][a-z0-9_-]{0,62}/) != nil else {
                alerts.problem(
                    "webhooks",
                    "'\(name)' is not a webhook name (lower-case letters, digits, - and _; at most 63)"
                )
                continue
            }
            guard seen.insert(name).inserted else {
                alerts.problem("webhooks", "names \(name) twice")
                continue
            }
            if let webhook = Self.webhook(webhookScope.scoped(to: name), named: name, credentials: credentials) {
                webhooks.append(webhook)
            }
        }
    }

    /// `alerts.webhook.NAME.*` (`url` and `secret-file`) from a reader scoped to it, with the secrets read, or nil
    /// (a problem) when either is missing or bad.
    static func webhook(_ scope: ConfigScope, named name: String, credentials: String?) -> WebhookEndpoint? {
        let url = scope.string("url")
        let file = scope.string("secret-file")
        guard let url else {
            scope.problem("url", "is missing: every listed webhook needs a url")
            return nil
        }
        guard let file else {
            scope.problem("secret-file", "is missing: every webhook is signed")
            return nil
        }
        let path: String
        if file.hasPrefix("/") {
            path = file
        } else if let credentials, !credentials.isEmpty {
            path = credentials + "/" + file
        } else {
            scope.problem(
                "secret-file",
                "'\(file)' is relative but $CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit)"
            )
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            scope.problem("secret-file", "\(path) cannot be read")
            return nil
        }
        do {
            let secrets = try WebhookSecret.parseList(String(decoding: data, as: UTF8.self))
            return try WebhookEndpoint(name: name, url: url, secrets: secrets)
        } catch {
            scope.problem("url", "\(error)")
            return nil
        }
    }
}
