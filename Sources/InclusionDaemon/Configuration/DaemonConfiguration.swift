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
        let filePath = path ?? defaultPath
        var problems: [ConfigurationError] = []
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
            problems += ConfigSchema.problems(in: String(decoding: data, as: UTF8.self))
            if !problems.isEmpty { throw ConfigurationErrors(errors: problems) }
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(filePath)))
            } catch {
                throw ConfigurationErrors(errors: [ConfigurationError(key: "(file)", "\(filePath): \(error)")])
            }
        } else if path != nil {
            throw ConfigurationErrors(errors: [ConfigurationError(key: "(file)", "\(filePath) does not exist")])
        }
        let reader = ConfigReader(providers: providers)
        var configuration = DaemonConfiguration()
        configuration.read(reader, problems: &problems, credentials: environment["CREDENTIALS_DIRECTORY"])
        if !problems.isEmpty { throw ConfigurationErrors(errors: problems) }
        return configuration
    }

    /// The keys ``read(_:problems:keyRead:)`` reads, for the test that the schema, the reader and the shipped
    /// file list the same keys.
    static var keysRead: Set<String> {
        var keys: Set<String> = []
        var configuration = DaemonConfiguration()
        var problems: [ConfigurationError] = []
        configuration.read(ConfigReader(provider: InMemoryProvider(values: [:])), problems: &problems) {
            keys.insert($0)
        }
        return keys
    }

    mutating func read(
        _ reader: ConfigReader,
        problems: inout [ConfigurationError],
        credentials: String? = nil,
        keyRead: (String) -> Void = { _ in }
    ) {
        func string(_ key: String) -> String? {
            keyRead(key)
            return reader.string(forKey: ConfigKey(key), isSecret: key == "database.url")
        }
        func duration(_ key: String, _ current: ConfigDuration) -> ConfigDuration {
            guard let text = string(key) else { return current }
            do {
                return try reader.requiredString(forKey: ConfigKey(key), as: ConfigDuration.self)
            } catch {
                problems.append(
                    ConfigurationError(key: key, "'\(text)' is not a duration; write 30s, 5min, 2h, 7d or 2w")
                )
                return current
            }
        }
        func bool(_ key: String, _ current: Bool) -> Bool {
            guard let text = string(key) else { return current }
            switch text.lowercased() {
            case "true", "yes", "on", "1": return true
            case "false", "no", "off", "0": return false
            default:
                problems.append(ConfigurationError(key: key, "'\(text)' is not true or false"))
                return current
            }
        }
        func int(_ key: String, _ current: Int, _ range: ClosedRange<Int>) -> Int {
            guard let text = string(key) else { return current }
            guard let value = Int(text), range.contains(value) else {
                problems.append(ConfigurationError(key: key, "'\(text)' is not a whole number in \(range)"))
                return current
            }
            return value
        }

        databaseURL = string("database.url") ?? databaseURL
        allowSuperuser = bool("database.allow-superuser", allowSuperuser)
        startTimeout = duration("database.start-timeout", startTimeout)
        statementTimeout = duration("database.statement-timeout", statementTimeout)
        lockTimeout = duration("database.lock-timeout", lockTimeout)
        if lockTimeout.milliseconds > statementTimeout.milliseconds {
            problems.append(
                ConfigurationError(
                    key: "database.lock-timeout",
                    "must be at most database.statement-timeout (\(statementTimeout))"
                )
            )
        }
        if let name = string("instance.name") {
            if name.isEmpty || name.count > 200 {
                problems.append(ConfigurationError(key: "instance.name", "must be 1 to 200 characters"))
            } else {
                instanceName = name
            }
        }
        heartbeat = duration("instance.heartbeat", heartbeat)
        if let zone = string("timezone") {
            if let timeZone = TimeZone(identifier: zone) {
                self.timeZone = timeZone
            } else {
                problems.append(
                    ConfigurationError(key: "timezone", "'\(zone)' is not a time zone (e.g. Europe/London)")
                )
            }
        }
        if let level = string("log-level") {
            if let parsed = Logger.Level(rawValue: level.lowercased()) {
                logLevel = parsed
            } else {
                problems.append(
                    ConfigurationError(
                        key: "log-level",
                        "'\(level)' is not trace, debug, info, notice, warning, error or critical"
                    )
                )
            }
        }
        shutdownGrace = duration("shutdown-grace", shutdownGrace)
        if let listen = string("http.listen") {
            if ["off", "none", ""].contains(listen.lowercased()) {
                httpListen = nil
            } else if let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
                (1...65535).contains(port)
            {
                let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                if ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") {
                    httpListen = (host, port)
                } else {
                    problems.append(
                        ConfigurationError(
                            key: "http.listen",
                            "must be a loopback address (127.0.0.1:PORT or [::1]:PORT)"
                        )
                    )
                }
            } else {
                problems.append(
                    ConfigurationError(key: "http.listen", "'\(listen)' is not HOST:PORT (e.g. 127.0.0.1:9464) or off")
                )
            }
        }
        for name in JobSettings.known {
            var settings = jobs[name] ?? JobSettings()
            let prefix = "jobs.\(name)."
            if let text = string(prefix + "schedule") {
                if text.isEmpty || text.lowercased() == "off" {
                    settings.schedule = nil
                } else {
                    do {
                        settings.schedule = try Schedule.parse(text)
                    } catch {
                        problems.append(ConfigurationError(key: prefix + "schedule", error.description))
                    }
                }
            }
            settings.maxAttempts = int(prefix + "max-attempts", settings.maxAttempts, 1...100)
            settings.lease = duration(prefix + "lease", settings.lease)
            settings.retryBase = duration(prefix + "retry-base", settings.retryBase)
            settings.retryMax = duration(prefix + "retry-max", settings.retryMax)
            settings.duration = duration(prefix + "duration", settings.duration)
            settings.fail = bool(prefix + "fail", settings.fail)
            if settings.lease.milliseconds < 2000 {
                problems.append(ConfigurationError(key: prefix + "lease", "must be at least 2s"))
            }
            jobs[name] = settings
        }
        for name in JobSettings.later where string("jobs.\(name).schedule") != nil {
            ignored.append("jobs.\(name)")
        }
        // rules.* and alerts.escalate-after (DESIGN §4 and §7), each checked against its range.
        rules.planReviewDaysAhead = int("rules.plan-review-due.days-ahead", rules.planReviewDaysAhead, 0...180)
        rules.ehcpDaysAhead = int("rules.ehcp-annual-review.days-ahead", rules.ehcpDaysAhead, 0...364)
        rules.arrangeMeetingWeeks = int(
            "rules.ehcp-annual-review.arrange-meeting-weeks",
            rules.arrangeMeetingWeeks,
            2...52
        )
        let cycleKey = "rules.ehcp-early-years-review.cycle"
        if let text = string(cycleKey) {
            let trimmed = text.trimmingWhitespace
            if trimmed.hasSuffix("m"), let months = Int(trimmed.dropLast()), (1...12).contains(months),
                trimmed.dropLast().allSatisfy(\.isASCIIDigit)
            {
                rules.earlyYearsCycleMonths = months
            } else {
                problems.append(ConfigurationError(key: cycleKey, "'\(text)' is not 1m to 12m (months, e.g. 6m)"))
            }
        }
        rules.lapsedSchoolDays = int("rules.intervention-delivery-lapsed.school-days", rules.lapsedSchoolDays, 1...190)
        let rateKey = "rules.intervention-low-delivery.min-rate"
        if let text = string(rateKey) {
            if let rate = Double(text.trimmingWhitespace), rate.isFinite, rate > 0, rate <= 1 {
                rules.minimumDeliveryRate = rate
            } else {
                problems.append(
                    ConfigurationError(key: rateKey, "'\(text)' is not a number over 0 and at most 1 (e.g. 0.75)")
                )
            }
        }
        rules.senGraceDays = int("rules.sen-without-plan.grace-days", rules.senGraceDays, 0...365)
        rules.caseStaleDays = int("rules.case-stale.days", rules.caseStaleDays, 1...365)
        let escalateKey = "alerts.escalate-after"
        if string(escalateKey) != nil {
            let parsed = duration(escalateKey, escalateAfter)
            let day: Int64 = 86_400_000
            if parsed.milliseconds % day != 0 || !(1...364).contains(parsed.milliseconds / day) {
                problems.append(
                    ConfigurationError(
                        key: escalateKey,
                        "must be whole days from 1d to 52w (e.g. 7d or 2w), not \(parsed)"
                    )
                )
            } else {
                escalateAfter = parsed
            }
        }
        readDelivery(reader, problems: &problems, credentials: credentials, keyRead: keyRead)
        for name in jobs.keys {
            jobs[name]?.rules = rules
            jobs[name]?.escalateAfter = escalateAfter
            jobs[name]?.email = delivery.email
        }
    }

    /// `alerts.email.*`, `alerts.retry-schedule`, `alerts.webhooks`, `alerts.webhook.NAME.*` and
    /// `alerts.webhook-timeout`. A webhook's `secret-file` is read now (relative names in `$CREDENTIALS_DIRECTORY`),
    /// so a missing or bad secret is a configuration error at start-up or reload, never a failed delivery later.
    mutating func readDelivery(
        _ reader: ConfigReader,
        problems: inout [ConfigurationError],
        credentials: String?,
        keyRead: (String) -> Void
    ) {
        func string(_ key: String, secret: Bool = false) -> String? {
            keyRead(key)
            return reader.string(forKey: ConfigKey(key), isSecret: secret)
        }
        func list(_ key: String) -> [String]? {
            keyRead(key)
            return reader.stringArray(forKey: ConfigKey(key))
        }
        let sendmail = string("alerts.email.sendmail")
        if let from = string("alerts.email.from")?.trimmingWhitespace, !from.isEmpty {
            if from.contains(where: { $0 == "\r" || $0 == "\n" }) || !from.contains("@") {
                problems.append(ConfigurationError(key: "alerts.email.from", "'\(from)' is not an email address"))
            } else {
                delivery.email = DeliverySettings.Email(sendmail: sendmail ?? "/usr/sbin/sendmail", from: from)
            }
        }
        if let sendmail, !sendmail.hasPrefix("/") {
            problems.append(
                ConfigurationError(key: "alerts.email.sendmail", "must be an absolute path, not '\(sendmail)'")
            )
        }
        if let steps = list("alerts.retry-schedule") {
            var delays: [Duration] = []
            for step in steps {
                guard let parsed = ConfigDuration(step), parsed.milliseconds >= 1000,
                    parsed.milliseconds <= 7 * 86_400_000
                else {
                    problems.append(
                        ConfigurationError(
                            key: "alerts.retry-schedule",
                            "'\(step)' is not a wait from 1s to 7d (write 5s, 5min, 2h)"
                        )
                    )
                    continue
                }
                delays.append(parsed.duration)
            }
            if steps.count > 20 {
                problems.append(ConfigurationError(key: "alerts.retry-schedule", "lists at most 20 waits"))
            }
            delivery.retrySchedule = RetrySchedule(delays: delays)
        }
        if string("alerts.webhook-timeout") != nil {
            keyRead("alerts.webhook-timeout")
            if let parsed = try? reader.requiredString(
                forKey: ConfigKey("alerts.webhook-timeout"),
                as: ConfigDuration.self
            ),
                parsed.milliseconds >= 1000, parsed.milliseconds <= 60_000
            {
                delivery.webhookTimeout = parsed
            } else {
                problems.append(ConfigurationError(key: "alerts.webhook-timeout", "must be a duration from 1s to 60s"))
            }
        }
        keyRead("alerts.webhook.*.url")
        keyRead("alerts.webhook.*.secret-file")
        var seen: Set<String> = []
        for name in list("alerts.webhooks") ?? [] {
            let prefix = "alerts.webhook.\(name)."
            guard name.wholeMatch(of: /[a-z0-9][a-z0-9_-]{0,62}/) != nil else {
                problems.append(
                    ConfigurationError(
                        key: "alerts.webhooks",
                        "'\(name)' is not a webhook name (lower-case letters, digits, - and _; at most 63)"
                    )
                )
                continue
            }
            guard seen.insert(name).inserted else {
                problems.append(ConfigurationError(key: "alerts.webhooks", "names \(name) twice"))
                continue
            }
            guard let url = reader.string(forKey: ConfigKey(prefix + "url")) else {
                problems.append(ConfigurationError(key: prefix + "url", "is missing: every listed webhook needs a url"))
                continue
            }
            guard let file = reader.string(forKey: ConfigKey(prefix + "secret-file")) else {
                problems.append(
                    ConfigurationError(key: prefix + "secret-file", "is missing: every webhook is signed")
                )
                continue
            }
            let path: String
            if file.hasPrefix("/") {
                path = file
            } else if let credentials, !credentials.isEmpty {
                path = credentials + "/" + file
            } else {
                problems.append(
                    ConfigurationError(
                        key: prefix + "secret-file",
                        "'\(file)' is relative but $CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit)"
                    )
                )
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(ConfigurationError(key: prefix + "secret-file", "\(path) cannot be read"))
                continue
            }
            do {
                let secrets = try WebhookSecret.parseList(String(decoding: data, as: UTF8.self))
                delivery.webhooks.append(try WebhookEndpoint(name: name, url: url, secrets: secrets))
            } catch {
                problems.append(ConfigurationError(key: prefix + "url", "\(error)"))
            }
        }
    }
}
