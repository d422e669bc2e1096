import Foundation
import InclusionCore
import InclusionTestSupport
import Testing

@testable import InclusionDaemon

/// `rules.*` and `alerts.escalate-after` (DESIGN §4 and §7): each key's default, a good value from the file and from
/// the environment, and bad values that `--check-config` names with their key; and the schema, the reader and the
/// shipped `config/inclusiond.yaml` listing the same keys.
@Suite("Rule configuration")
struct RulesConfigurationTests {
    /// One `rules.*` or `alerts.*` key: its default, a good value and what it reads as, and bad values.
    struct Key: Sendable, CustomTestStringConvertible {
        let key: String
        let defaultValue: Double
        let good: String
        let goodValue: Double
        let bad: [String]
        let value: @Sendable (DaemonConfiguration) -> Double

        var testDescription: String { key }
        /// The key's environment spelling: upper-cased, with `.` and `-` as `_`.
        var environmentName: String {
            key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
        }

        /// A YAML document setting just this key.
        func yaml(_ value: String) -> String {
            let parts = key.split(separator: ".")
            return parts.enumerated().map { index, part in
                String(repeating: "  ", count: index) + part + ":" + (index == parts.count - 1 ? " \(value)" : "")
            }.joined(separator: "\n") + "\n"
        }
    }

    static let keys: [Key] = [
        Key(
            key: "rules.plan-review-due.days-ahead",
            defaultValue: 14,
            good: "21",
            goodValue: 21,
            bad: ["181", "-1", "soon", "1.5"]
        ) { Double($0.rules.planReviewDaysAhead) },
        Key(key: "rules.ehcp-annual-review.days-ahead", defaultValue: 70, good: "56", goodValue: 56, bad: ["365"]) {
            Double($0.rules.ehcpDaysAhead)
        },
        Key(
            key: "rules.ehcp-annual-review.arrange-meeting-weeks",
            defaultValue: 8,
            good: "10",
            goodValue: 10,
            bad: ["1", "53"]
        ) { Double($0.rules.arrangeMeetingWeeks) },
        Key(
            key: "rules.ehcp-early-years-review.cycle",
            defaultValue: 6,
            good: "3m",
            goodValue: 3,
            bad: ["13m", "0m", "6w", "6", "m", "+6m"]
        ) { Double($0.rules.earlyYearsCycleMonths) },
        Key(
            key: "rules.intervention-delivery-lapsed.school-days",
            defaultValue: 10,
            good: "15",
            goodValue: 15,
            bad: ["0", "191"]
        ) { Double($0.rules.lapsedSchoolDays) },
        Key(
            key: "rules.intervention-low-delivery.min-rate",
            defaultValue: 0.75,
            good: "0.5",
            goodValue: 0.5,
            bad: ["0", "1.5", "-0.2", "nan", "most"]
        ) { $0.rules.minimumDeliveryRate },
        Key(key: "rules.sen-without-plan.grace-days", defaultValue: 28, good: "20", goodValue: 20, bad: ["-1", "366"]) {
            Double($0.rules.senGraceDays)
        },
        Key(key: "rules.case-stale.days", defaultValue: 28, good: "10", goodValue: 10, bad: ["0", "366"]) {
            Double($0.rules.caseStaleDays)
        },
        Key(
            key: "alerts.escalate-after",
            defaultValue: 7,
            good: "2w",
            goodValue: 14,
            bad: ["12h", "36h", "0d", "53w", "soon"]
        ) { Double($0.escalateAfter.milliseconds) / 86_400_000 },
    ]

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func load(_ yaml: String, environment: [String: String] = [:]) async throws -> DaemonConfiguration {
        try await DaemonConfiguration.load(
            path: try ConfigurationTests.write(yaml),
            database: nil,
            environment: environment
        )
    }

    @Test(arguments: keys)
    func theDefaultAGoodValueAndTheEnvironment(key: Key) async throws {
        #expect(key.value(DaemonConfiguration()) == key.defaultValue)
        #expect(key.value(try await Self.load("{}\n")) == key.defaultValue)
        let configured = try await Self.load(key.yaml(key.good))
        #expect(key.value(configured) == key.goodValue)
        // The review-sweep job reads them from its settings.
        let sweep = try #require(configured.jobs["review-sweep"])
        var fromJob = DaemonConfiguration()
        fromJob.rules = sweep.rules
        fromJob.escalateAfter = sweep.escalateAfter
        #expect(key.value(fromJob) == key.goodValue)
        let fromEnvironment = try await Self.load("{}\n", environment: [key.environmentName: key.good])
        #expect(key.value(fromEnvironment) == key.goodValue)
    }

    @Test(arguments: keys)
    func badValuesAreNamedWithTheirKey(key: Key) async throws {
        for bad in key.bad {
            let errors = try await #require(throws: ConfigurationErrors.self, "\(key.key): \(bad)") {
                try await Self.load(key.yaml(bad))
            }
            #expect(errors.errors.map(\.key) == [key.key], "\(bad): \(errors)")
            #expect(errors.description.contains(bad), "\(errors)")
        }
    }

    @Test func theEscalationIsInWholeDays() async throws {
        #expect(DaemonConfiguration().jobs["review-sweep"]?.escalateAfterDays == 7)
        let configured = try await Self.load("alerts: { escalate-after: 2w }\n")
        #expect(configured.jobs["review-sweep"]?.escalateAfterDays == 14)
        #expect(
            try await Self.load("alerts: { escalate-after: 1d }\n").escalateAfter == ConfigDuration(seconds: 86_400)
        )
    }

    @Test(arguments: [
        ("rules: { phase-transfer-deadline: { final-years: [6, 11] } }", "rules.phase-transfer-deadline"),
        ("rules: { ehcp-annual-review: { under-5-cycle: 6m } }", "rules.ehcp-annual-review.under-5-cycle"),
        ("jobs: { review-sweeep: { schedule: \"every 30s\" } }", "jobs.review-sweeep"),
        ("jobs: { nightly: { schedule: \"every 30s\" } }", "jobs.nightly"),
    ])
    func obsoleteKeysAndUnknownJobsAreErrors(yaml: String, key: String) async throws {
        let errors = try await #require(throws: ConfigurationErrors.self) { try await Self.load(yaml) }
        #expect(errors.errors.map(\.key) == [key], "\(errors)")
        #expect(errors.description.contains("is not a key inclusiond knows"))
    }

    @Test func aMisspeltJobIsNamedWithTheJobItMeant() async throws {
        let errors = try await #require(throws: ConfigurationErrors.self) {
            try await Self.load("jobs:\n  audit-anchr: { schedule: \"0 * * * *\" }\n")
        }
        #expect(errors.description.contains("did you mean jobs.audit-anchor?"), "\(errors)")
        // The jobs of later versions are still accepted (and ignored with a warning).
        let later = try await Self.load("jobs: { retention: { schedule: \"30 2 * * *\" } }\n")
        #expect(later.ignored == ["jobs.retention"])
    }

    /// Keys listed once: the schema is the keys the readers read (``DaemonConfiguration/keysRead``) and the keys not
    /// read yet; the readers read those same keys when every key is set (so none is missed by reading a
    /// configuration with none set); and the shipped file shows each key the readers read (but the per-job knobs,
    /// which it documents together) with its environment spelling.
    @Test func theSchemaTheReaderAndTheShippedFileAgree() async throws {
        let read = Set(DaemonConfiguration.keysRead.keys)
        let notYetRead = Set(ConfigSchema.notYetRead.keys)
        #expect(read.union(notYetRead) == ConfigSchema.leaves)
        #expect(read.isDisjoint(with: notYetRead.subtracting(["jobs.retention.schedule"])))
        #expect(notYetRead.contains("jobs.retention.lease") && ConfigSchema.keys["jobs.retention"] == .map)
        #expect(ConfigSchema.keys["alerts.webhook.*"] == .map && ConfigSchema.keys["alerts.retry-schedule"] == .list)
        let path = Self.root.appendingPathComponent("config/inclusiond.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let shipped = try ConfigSchema.leaves(in: text)
        #expect(shipped.isSubset(of: ConfigSchema.leaves))
        for key in read.sorted() {
            if key.hasPrefix("jobs.") {
                guard key.hasSuffix(".schedule"), !notYetRead.contains(key) else { continue }
                #expect(shipped.contains(key), "config/inclusiond.yaml lacks \(key)")
                continue
            }
            let last = key.split(separator: ".").last.map(String.init) ?? key
            #expect(shipped.contains(key) || text.contains("# \(last):"), "config/inclusiond.yaml lacks \(key)")
            let environment = key.uppercased().replacingOccurrences(of: ".", with: "_")
                .replacingOccurrences(of: "-", with: "_")
            #expect(text.contains(environment), "config/inclusiond.yaml does not document \(environment)")
        }
        for key in Self.keys.map(\.key) {
            #expect(read.contains(key))
            #expect(shipped.contains(key), "config/inclusiond.yaml lacks \(key)")
        }
        #expect(!text.contains("final-years") && !text.contains("under-5-cycle"))
        #expect(text.contains("inclusionctl school set --transfer"))

        // The shipped file with the keys it leaves commented out set too, a webhook `hub` among them.
        let secret = try ComponentConfigurationTests.secretFile()
        let environment = [
            "INSTANCE_NAME": "web-1", "ALERTS_EMAIL_FROM": "inclusion@trust.example", "ALERTS_WEBHOOKS": "hub",
            "ALERTS_WEBHOOK_HUB_URL": "https://hooks.trust.example/inclusion",
            "ALERTS_WEBHOOK_HUB_SECRET_FILE": secret.path,
        ]
        let everyKey = try await DaemonConfiguration.sources(path: path, database: nil, environment: environment)
        var configuration = DaemonConfiguration()
        configuration.read(everyKey)
        #expect(everyKey.problems.isEmpty, "\(everyKey.problems)")
        #expect(configuration.delivery.webhooks.map(\.name) == ["hub"] && configuration.delivery.email != nil)
        let readWhenSet = everyKey.findings.keys.keys.map {
            $0.replacingOccurrences(of: "alerts.webhook.hub.", with: "alerts.webhook.*.")
        }
        #expect(Set(readWhenSet) == read)
    }

    /// `--check-config` names every bad rule value with its key and exits 78.
    @Test func checkConfigNamesEachBadRuleValueAndExits78() async throws {
        let yaml = """
            rules:
              plan-review-due: { days-ahead: 400 }
              ehcp-annual-review: { days-ahead: 365, arrange-meeting-weeks: 1 }
              ehcp-early-years-review: { cycle: 13m }
              intervention-delivery-lapsed: { school-days: 0 }
              intervention-low-delivery: { min-rate: 1.5 }
              sen-without-plan: { grace-days: -1 }
              case-stale: { days: 0 }
            alerts: { escalate-after: 12h }

            """
        let daemon = try DaemonProcess(
            arguments: ["--check-config", "--config", try ConfigurationTests.write(yaml)],
            name: "check-rules"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 78)
        for key in Self.keys {
            #expect(daemon.log.contains(key.key + ":"), "\(key.key) not named: \(daemon.log)")
        }
        for value in ["400", "365", "'1'", "13m", "'0'", "1.5", "-1", "12h"] {
            #expect(daemon.log.contains(value), "\(value) not named: \(daemon.log)")
        }
    }
}
