import Configuration
import Foundation
public import InclusionCore
public import Logging
import SystemPackage

/// Everything the daemon reads from its configuration, validated.
///
/// Sources, highest precedence first: `--database` (the database only), environment variables (each key's
/// spelling is the key upper-cased with `.` and `-` as `_`: `database.url` is `DATABASE_URL`,
/// `jobs.review-sweep.schedule` is `JOBS_REVIEW_SWEEP_SCHEDULE`), files in systemd's `$CREDENTIALS_DIRECTORY`
/// (named by the key with `.` as `-`: `database-url`), the YAML file, then the defaults below. The database URL
/// falls back to libpq's own defaults (PGHOST, PGDATABASE, PGUSER, PGSERVICE, …) when no source sets it.
public struct DaemonConfiguration: Sendable, Equatable {
    /// `database.url`: a libpq connection string or URI; empty means libpq's defaults. Secret.
    public var databaseURL = ""
    /// `database.allow-superuser` (default false): development only; logged loudly when true.
    public var allowSuperuser = false
    /// `database.start-timeout` (default 60s): how long start-up retries an unreachable database before exit 69.
    public var startTimeout = ConfigDuration(seconds: 60)
    /// `database.statement-timeout` (default 30s): every statement's server-side deadline; the client gives up
    /// shortly after it, so a half-open connection cannot hang a job.
    public var statementTimeout = ConfigDuration(seconds: 30)
    /// `database.lock-timeout` (default 5s): how long any statement waits for a lock (a row, a table, an advisory
    /// lock) that another session holds before it fails with a lock timeout, so that a login holding a lock cannot
    /// freeze the daemon; the job run fails and is retried like any other failure. At most the statement timeout.
    public var lockTimeout = ConfigDuration(seconds: 5)
    /// `instance.name` (default: the host name).
    public var instanceName = ProcessInfo.processInfo.hostName
    /// `instance.heartbeat` (default 5s): an instance is live while its last heartbeat is under 3 of these old.
    public var heartbeat = ConfigDuration(seconds: 5)
    /// `timezone` (default Europe/London): the zone cron schedules are read in.
    public var timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
    /// `log-level` (default info): trace, debug, info, notice, warning, error or critical.
    public var logLevel = Logger.Level.info
    /// `shutdown-grace` (default 30s): on SIGTERM, how long an in-flight run may finish before it is released.
    public var shutdownGrace = ConfigDuration(seconds: 30)
    /// `http.listen` (default 127.0.0.1:9464): /healthz and /metrics; loopback only; `off` disables it.
    public var httpListen: (host: String, port: Int)? = ("127.0.0.1", 9464)
    /// `rules.*`: the review and lapse rules' settings (DESIGN §4), with its defaults. Copied into every job's
    /// ``JobSettings/rules``, for the `review-sweep` job.
    public var rules = RuleSettings()
    /// `alerts.escalate-after` (default 7d): an alert left open this long goes one step up; whole days, 1d to
    /// 52w. Copied into every job's ``JobSettings/escalateAfter``.
    public var escalateAfter = JobSettings.defaultEscalateAfter
    /// `alerts.email`, `alerts.retry-schedule`, `alerts.webhooks`, `alerts.webhook.NAME.*`, `alerts.webhook-timeout`:
    /// the delivery service's channels. Webhook secrets are read from their files when the configuration is.
    public var delivery = DeliverySettings()
    /// `jobs.NAME.*`: the jobs this daemon runs.
    public var jobs: [String: JobSettings] = JobSettings.defaults
    /// Keys that parsed but will do nothing in this version (e.g. jobs of later releases), for a warning.
    public var ignored: [String] = []

    public init() {}

    public static func == (lhs: DaemonConfiguration, rhs: DaemonConfiguration) -> Bool {
        lhs.databaseURL == rhs.databaseURL && lhs.allowSuperuser == rhs.allowSuperuser
            && lhs.startTimeout == rhs.startTimeout && lhs.statementTimeout == rhs.statementTimeout
            && lhs.lockTimeout == rhs.lockTimeout
            && lhs.instanceName == rhs.instanceName && lhs.heartbeat == rhs.heartbeat && lhs.timeZone == rhs.timeZone
            && lhs.logLevel == rhs.logLevel && lhs.shutdownGrace == rhs.shutdownGrace
            && lhs.httpListen?.host == rhs.httpListen?.host && lhs.httpListen?.port == rhs.httpListen?.port
            && lhs.rules == rhs.rules && lhs.escalateAfter == rhs.escalateAfter && lhs.jobs == rhs.jobs
            && lhs.delivery == rhs.delivery
    }

    /// The default file path.
    public static let defaultPath = "/etc/inclusiond/inclusiond.yaml"

    /// Today in ``timeZone``: the day a run without `--as-of` evaluates rules as of.
    public func today(at now: Date = Date()) -> Day {
        Day(date: now, timeZone: timeZone)
    }

    /// Reads and validates the configuration. A missing file is an error when `path` was given explicitly.
    public static func load(
        path: String?,
        database: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> DaemonConfiguration {
        let scope = try await sources(path: path, database: database, environment: environment)
        var configuration = DaemonConfiguration()
        configuration.read(scope, credentials: environment["CREDENTIALS_DIRECTORY"])
        if !scope.problems.isEmpty { throw ConfigurationErrors(errors: scope.problems) }
        return configuration
    }

    /// The configuration's sources, in order of precedence, to be read through the scope returned; the file's keys
    /// and their shapes are checked against ``ConfigSchema`` first.
    static func sources(path: String?, database: String?, environment: [String: String]) async throws -> ConfigScope {
        let filePath = path ?? defaultPath
        var providers: [any ConfigProvider] = []
        if let database {
            providers.append(InMemoryProvider(values: ["database.url": ConfigValue(.string(database), isSecret: true)]))
        }
        providers.append(
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .specific(["DATABASE_URL"])
            )
        )
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            providers.append(try await DirectoryFilesProvider(directoryPath: FilePath(credentials)))
        }
        if FileManager.default.fileExists(atPath: filePath) {
            guard let data = FileManager.default.contents(atPath: filePath) else {
                throw ConfigurationErrors(errors: [ConfigurationError(key: "(file)", "\(filePath) cannot be read")])
            }
            let problems = ConfigSchema.problems(in: String(decoding: data, as: UTF8.self))
            if !problems.isEmpty { throw ConfigurationErrors(errors: problems) }
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(filePath)))
            } catch {
                throw ConfigurationErrors(errors: [ConfigurationError(key: "(file)", "\(filePath): \(error)")])
            }
        } else if path != nil {
            throw ConfigurationErrors(errors: [ConfigurationError(key: "(file)", "\(filePath) does not exist")])
        }
        return ConfigScope(ConfigReader(providers: providers))
    }

    /// The full key of every value ``read(_:credentials:)`` reads, with its shape: the keys ``ConfigSchema`` knows.
    static var keysRead: [String: ConfigSchema.Shape] {
        ConfigScope.keys { scope in
            var configuration = DaemonConfiguration()
            configuration.read(scope)
        }
    }

    /// Reads each part of the configuration through a reader scoped to its own keys, over the values already here
    /// (the defaults), and copies the settings every job shares into each job's.
    mutating func read(_ scope: ConfigScope, credentials: String? = nil) {
        readDatabase(scope.scoped(to: "database"))
        readInstance(scope.scoped(to: "instance"))
        readProcess(scope)
        readHTTP(scope.scoped(to: "http"))
        ignored += JobSettings.read(scope.scoped(to: "jobs"), into: &jobs)
        rules.read(scope.scoped(to: "rules"))
        readAlerts(scope.scoped(to: "alerts"), credentials: credentials)
        for name in jobs.keys {
            jobs[name]?.rules = rules
            jobs[name]?.escalateAfter = escalateAfter
            jobs[name]?.email = delivery.email
        }
    }

    /// `database.*`.
    mutating func readDatabase(_ database: ConfigScope) {
        databaseURL = database.string("url", isSecret: true) ?? databaseURL
        allowSuperuser = database.bool("allow-superuser", allowSuperuser)
        startTimeout = database.duration("start-timeout", startTimeout)
        statementTimeout = database.duration("statement-timeout", statementTimeout)
        lockTimeout = database.duration("lock-timeout", lockTimeout)
        if lockTimeout.milliseconds > statementTimeout.milliseconds {
            database.problem(
                "lock-timeout",
                "must be at most \(database.key("statement-timeout")) (\(statementTimeout))"
            )
        }
    }

    /// `instance.*`.
    mutating func readInstance(_ instance: ConfigScope) {
        if let name = instance.string("name") {
            if name.isEmpty || name.count > 200 {
                instance.problem("name", "must be 1 to 200 characters")
            } else {
                instanceName = name
            }
        }
        heartbeat = instance.duration("heartbeat", heartbeat)
    }

    /// `timezone`, `log-level` and `shutdown-grace`: the top-level keys.
    mutating func readProcess(_ scope: ConfigScope) {
        if let zone = scope.string("timezone") {
            if let timeZone = TimeZone(identifier: zone) {
                self.timeZone = timeZone
            } else {
                scope.problem("timezone", "'\(zone)' is not a time zone (e.g. Europe/London)")
            }
        }
        if let level = scope.string("log-level") {
            if let parsed = Logger.Level(rawValue: level.lowercased()) {
                logLevel = parsed
            } else {
                scope.problem("log-level", "'\(level)' is not trace, debug, info, notice, warning, error or critical")
            }
        }
        shutdownGrace = scope.duration("shutdown-grace", shutdownGrace)
    }

    /// `http.listen`.
    mutating func readHTTP(_ http: ConfigScope) {
        guard let listen = http.string("listen") else { return }
        if ["off", "none", ""].contains(listen.lowercased()) {
            httpListen = nil
        } else if let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (1...65535).contains(port)
        {
            let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") {
                httpListen = (host, port)
            } else {
                http.problem("listen", "must be a loopback address (127.0.0.1:PORT or [::1]:PORT)")
            }
        } else {
            http.problem("listen", "'\(listen)' is not HOST:PORT (e.g. 127.0.0.1:9464) or off")
        }
    }

    /// `alerts.escalate-after` (DESIGN §7), then the delivery settings (``DeliverySettings/read(_:credentials:)``).
    mutating func readAlerts(_ alerts: ConfigScope, credentials: String?) {
        if alerts.string("escalate-after") != nil {
            let parsed = alerts.duration("escalate-after", escalateAfter)
            let day: Int64 = 86_400_000
            if parsed.milliseconds % day != 0 || !(1...364).contains(parsed.milliseconds / day) {
                alerts.problem("escalate-after", "must be whole days from 1d to 52w (e.g. 7d or 2w), not \(parsed)")
            } else {
                escalateAfter = parsed
            }
        }
        delivery.read(alerts, credentials: credentials)
    }
}
