import Foundation
import InclusionCore
import InclusionDaemon
import Testing

@Suite("Daemon configuration")
struct ConfigurationTests {
    static func write(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inclusiond-\(UUID().uuidString).yaml")
            .path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theShippedConfigurationIsValidAndMatchesTheDefaults() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shipped = try await DaemonConfiguration.load(
            path: root.appendingPathComponent("config/inclusiond.yaml").path,
            database: nil,
            environment: [:]
        )
        var expected = DaemonConfiguration()
        expected.databaseURL = "host=/run/postgresql dbname=inclusion user=inclusiond"
        expected.jobs["canary"]?.duration = ConfigDuration(milliseconds: 100)
        #expect(shipped == expected)
    }

    @Test func valuesComeFromTheFileAndEnvironmentOverridesThem() async throws {
        let path = try Self.write(
            """
            database: { url: "dbname=fromfile" }
            instance: { name: web-1, heartbeat: 2s }
            timezone: Europe/Paris
            jobs:
              review-sweep: { schedule: "every 30s", max-attempts: 5 }
            """
        )
        let configuration = try await DaemonConfiguration.load(
            path: path,
            database: nil,
            environment: ["DATABASE_URL": "dbname=fromenv", "JOBS_REVIEW_SWEEP_MAX_ATTEMPTS": "7"]
        )
        #expect(configuration.databaseURL == "dbname=fromenv")
        #expect(configuration.instanceName == "web-1")
        #expect(configuration.heartbeat == ConfigDuration(seconds: 2))
        #expect(configuration.timeZone.identifier == "Europe/Paris")
        #expect(configuration.jobs["review-sweep"]?.schedule == .every(ConfigDuration(seconds: 30)))
        #expect(configuration.jobs["review-sweep"]?.maxAttempts == 7)
        let flagged = try await DaemonConfiguration.load(
            path: path,
            database: "dbname=fromflag",
            environment: ["DATABASE_URL": "x"]
        )
        #expect(flagged.databaseURL == "dbname=fromflag")
    }

    @Test func credentialsDirectoryFilesSupplySecrets() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "host=db.example user=inclusiond password=s3cret\n".write(
            to: directory.appendingPathComponent("database-url"),
            atomically: true,
            encoding: .utf8
        )
        let path = try Self.write("database: { url: \"dbname=fromfile\" }\n")
        let configuration = try await DaemonConfiguration.load(
            path: path,
            database: nil,
            environment: ["CREDENTIALS_DIRECTORY": directory.path]
        )
        #expect(configuration.databaseURL == "host=db.example user=inclusiond password=s3cret")
    }

    @Test func aMisspeltKeyIsNamedWithASuggestion() async throws {
        let path = try Self.write(
            """
            databse: { url: "dbname=x" }
            jobs:
              review-sweep: { schedul: "every 30s" }
            """
        )
        let errors = try await #require(throws: ConfigurationErrors.self) {
            try await DaemonConfiguration.load(path: path, database: nil, environment: [:])
        }
        let keys = errors.errors.map(\.key)
        #expect(keys.contains("databse"))
        #expect(keys.contains("jobs.review-sweep.schedul"))
        #expect(errors.description.contains("did you mean database?"))
        #expect(errors.description.contains("did you mean jobs.review-sweep.schedule?"))
    }

    @Test(arguments: [
        ("instance: { heartbeat: soon }", "instance.heartbeat"),
        ("timezone: Mars/Olympus", "timezone"),
        ("jobs: { review-sweep: { schedule: \"61 * * * *\" } }", "jobs.review-sweep.schedule"),
        ("http: { listen: \"0.0.0.0:9464\" }", "http.listen"),
        ("database: { allow-superuser: maybe }", "database.allow-superuser"),
        ("jobs: { canary: { max-attempts: 0 } }", "jobs.canary.max-attempts"),
        ("database: [1, 2]", "database"),
    ])
    func badValuesNameTheirKey(yaml: String, key: String) async throws {
        let path = try Self.write(yaml)
        let errors = try await #require(throws: ConfigurationErrors.self) {
            try await DaemonConfiguration.load(path: path, database: nil, environment: [:])
        }
        #expect(errors.errors.map(\.key).contains(key), "\(errors)")
    }

    @Test func theLockTimeoutDefaultsTo5sAndIsAtMostTheStatementTimeout() async throws {
        #expect(DaemonConfiguration().lockTimeout == ConfigDuration(seconds: 5))
        let path = try Self.write("database: { statement-timeout: 10s, lock-timeout: 2s }\n")
        let configuration = try await DaemonConfiguration.load(path: path, database: nil, environment: [:])
        #expect(configuration.lockTimeout == ConfigDuration(seconds: 2))
        let fromEnvironment = try await DaemonConfiguration.load(
            path: path,
            database: nil,
            environment: ["DATABASE_LOCK_TIMEOUT": "500ms"]
        )
        #expect(fromEnvironment.lockTimeout == ConfigDuration(milliseconds: 500))
        let longer = try Self.write("database: { statement-timeout: 10s, lock-timeout: 1min }\n")
        let errors = try await #require(throws: ConfigurationErrors.self) {
            try await DaemonConfiguration.load(path: longer, database: nil, environment: [:])
        }
        #expect(errors.errors.map(\.key) == ["database.lock-timeout"])
        #expect(errors.description.contains("at most database.statement-timeout (10s)"))
    }

    /// "Today" for a run without `--as-of` (`--run-once` and the job runner alike) is the day in `timezone`.
    @Test func todayIsTheDayInTheConfiguredZone() throws {
        let instant = Date(timeIntervalSince1970: 1_704_088_800)  // 2024-01-01T06:00:00Z
        var configuration = DaemonConfiguration()
        #expect(configuration.today(at: instant) == (try Day(iso: "2024-01-01")))
        configuration.timeZone = try #require(TimeZone(identifier: "Pacific/Honolulu"))
        #expect(configuration.today(at: instant) == (try Day(iso: "2023-12-31")))
    }

    @Test func aMissingExplicitFileIsAnError() async {
        await #expect(throws: ConfigurationErrors.self) {
            try await DaemonConfiguration.load(path: "/nonexistent/inclusiond.yaml", database: nil, environment: [:])
        }
    }
}
