import Foundation
import InclusionCore
import Testing

@testable import InclusionDaemon

/// Each part of the configuration (`database.*`, `instance.*`, `jobs.NAME.*`, `alerts.*`, …) is read on its own, yet
/// a bad value is named by its full dotted key, from the file and from the environment alike.
@Suite("Configuration by component")
struct ComponentConfigurationTests {
    static func load(_ yaml: String, environment: [String: String] = [:]) async throws -> DaemonConfiguration {
        try await DaemonConfiguration.load(
            path: try ConfigurationTests.write(yaml),
            database: nil,
            environment: environment
        )
    }

    /// A webhook secret file, alone in a directory of its own (a `$CREDENTIALS_DIRECTORY` is read whole).
    static func secretFile() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "inclusiond-credentials-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("hub-secret")
        try (WebhookTransportTests.secretText + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func theDeliverySettingsComeFromAlerts() async throws {
        let secret = try Self.secretFile()
        let configuration = try await Self.load(
            """
            alerts:
              email: { sendmail: /usr/local/bin/sendmail, from: "inclusion@trust.example" }
              retry-schedule: [5s, 1min]
              webhook-timeout: 10s
              webhooks: [hub, relative]
              webhook:
                hub: { url: "https://hooks.example/inclusion", secret-file: "\(secret.path)" }
                relative: { url: "http://127.0.0.1:9/hook", secret-file: "\(secret.lastPathComponent)" }
            """,
            environment: ["CREDENTIALS_DIRECTORY": secret.deletingLastPathComponent().path]
        )
        let email = DeliverySettings.Email(sendmail: "/usr/local/bin/sendmail", from: "inclusion@trust.example")
        #expect(configuration.delivery.email == email)
        #expect(configuration.delivery.retrySchedule == RetrySchedule(delays: [.seconds(5), .seconds(60)]))
        #expect(configuration.delivery.webhookTimeout == ConfigDuration(seconds: 10))
        #expect(configuration.delivery.webhooks.map(\.name) == ["hub", "relative"])
        #expect(configuration.delivery.channels == ["email", "webhook:hub", "webhook:relative"])
        #expect(configuration.jobs["digest"]?.email == email)
        #expect(DaemonConfiguration().delivery == DeliverySettings())
    }

    @Test(arguments: [
        ("database: { statement-timeout: soon }", "database.statement-timeout"),
        ("database: { start-timeout: 5 parsecs }", "database.start-timeout"),
        ("shutdown-grace: soon", "shutdown-grace"),
        ("log-level: loud", "log-level"),
        ("http: { listen: \"127.0.0.1:99999\" }", "http.listen"),
        ("jobs: { canary: { lease: 1s } }", "jobs.canary.lease"),
        ("jobs: { digest: { retry-base: soon } }", "jobs.digest.retry-base"),
        ("jobs: { audit-anchor: { fail: maybe } }", "jobs.audit-anchor.fail"),
        ("jobs: { review-sweep: { max-attempts: 101 } }", "jobs.review-sweep.max-attempts"),
        ("alerts: { email: { from: nobody } }", "alerts.email.from"),
        ("alerts: { email: { sendmail: sendmail, from: a@trust.example } }", "alerts.email.sendmail"),
        ("alerts: { retry-schedule: [5s, soon] }", "alerts.retry-schedule"),
        ("alerts: { webhook-timeout: 2min }", "alerts.webhook-timeout"),
        ("alerts: { webhooks: [Hub] }", "alerts.webhooks"),
        ("alerts: { webhooks: [hub] }", "alerts.webhook.hub.url"),
        (
            "alerts: { webhooks: [hub], webhook: { hub: { url: \"https://h.example\" } } }",
            "alerts.webhook.hub.secret-file"
        ),
        (
            "alerts: { webhooks: [hub], webhook: { hub: { url: \"https://h.example\", secret-file: x.secret } } }",
            "alerts.webhook.hub.secret-file"
        ),
    ])
    func aBadValueIsNamedByItsFullKey(yaml: String, key: String) async throws {
        let errors = try await #require(throws: ConfigurationErrors.self) { try await Self.load(yaml) }
        #expect(errors.errors.map(\.key) == [key], "\(errors)")
    }

    @Test(arguments: [
        ("JOBS_CANARY_LEASE", "1s", "jobs.canary.lease"),
        ("DATABASE_STATEMENT_TIMEOUT", "soon", "database.statement-timeout"),
        ("ALERTS_WEBHOOK_TIMEOUT", "2min", "alerts.webhook-timeout"),
        ("INSTANCE_HEARTBEAT", "often", "instance.heartbeat"),
    ])
    func aBadValueFromTheEnvironmentIsNamedByItsFullKey(variable: String, value: String, key: String) async throws {
        let errors = try await #require(throws: ConfigurationErrors.self) {
            try await Self.load("{}\n", environment: [variable: value])
        }
        #expect(errors.errors.map(\.key) == [key], "\(errors)")
    }

    @Test func eachJobReadsItsOwnSettings() async throws {
        let configuration = try await Self.load(
            """
            jobs:
              canary: { schedule: "every 10s", duration: 2s, fail: true, lease: 4s }
              digest: { schedule: off, retry-base: 1s, retry-max: 1min }
            """,
            environment: ["JOBS_AUDIT_ANCHOR_MAX_ATTEMPTS": "9"]
        )
        let canary = try #require(configuration.jobs["canary"])
        #expect(canary.schedule == .every(ConfigDuration(seconds: 10)))
        #expect(canary.duration == ConfigDuration(seconds: 2))
        #expect(canary.fail)
        #expect(canary.lease == ConfigDuration(seconds: 4))
        let digest = try #require(configuration.jobs["digest"])
        #expect(digest.schedule == nil)
        #expect(digest.retryBase == ConfigDuration(seconds: 1))
        #expect(digest.retryMax == ConfigDuration(seconds: 60))
        #expect(configuration.jobs["audit-anchor"]?.maxAttempts == 9)
        #expect(configuration.jobs["review-sweep"] == DaemonConfiguration().jobs["review-sweep"])
        #expect(Set(configuration.jobs.keys) == ["review-sweep", "digest", "audit-anchor", "canary"])
    }
}
