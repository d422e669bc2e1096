public import InclusionCore

/// One job's settings (`jobs.NAME.*`).
public struct JobSettings: Sendable, Equatable {
    /// `schedule`: five-field cron in `timezone`, or `every D`; `off` (or none) runs the job only when asked.
    public var schedule: Schedule?
    /// `max-attempts` (default 3): a run that fails this many times is dead.
    public var maxAttempts = 3
    /// `lease` (default 30s): how long a claimed run is held without renewal; renewed every third of it.
    public var lease = ConfigDuration(seconds: 30)
    /// `retry-base` (default 5s) and `retry-max` (default 5min): failed runs wait base × 2^(attempt−1), capped,
    /// with jitter, before their next attempt.
    public var retryBase = ConfigDuration(seconds: 5)
    public var retryMax = ConfigDuration(seconds: 300)
    /// `duration` and `fail`: the canary job's behaviour (how long it takes; whether it fails), for checking a
    /// deployment end to end.
    public var duration = ConfigDuration(milliseconds: 100)
    public var fail = false
    /// The configuration's `rules.*` and `alerts.escalate-after` (the same for every job), which the `review-sweep`
    /// job judges by; set by ``DaemonConfiguration``, so a reload that changes them reaches the next run.
    public var rules = RuleSettings()
    public var escalateAfter = JobSettings.defaultEscalateAfter
    /// `alerts.email` (the same for every job), which the `digest` job sends with; nil when email is off.
    public var email: DeliverySettings.Email?

    /// `alerts.escalate-after`'s default: 7 days.
    public static let defaultEscalateAfter = ConfigDuration(seconds: 7 * 86_400)

    /// ``escalateAfter`` in whole days.
    public var escalateAfterDays: Int { Int(escalateAfter.milliseconds / 86_400_000) }

    public init(schedule: Schedule? = nil) { self.schedule = schedule }

    /// The jobs of this version: the names of ``JobCatalog/all``.
    public static var known: [String] { JobCatalog.all.map { $0.name } }
    /// Jobs of later versions: accepted in the file, ignored with a warning.
    public static let later = ["retention"]

    /// Every job of this version with its default schedule.
    static var defaults: [String: JobSettings] {
        Dictionary(uniqueKeysWithValues: JobCatalog.all.map { ($0.name, JobSettings(schedule: $0.defaultSchedule)) })
    }
}

extension JobSettings {
    /// `jobs.*`: each job of this version through a reader scoped to `jobs.NAME`, over its settings in `jobs`. Returns
    /// the jobs of later versions that are given a schedule (`jobs.retention`), to be logged as ignored.
    static func read(_ scope: ConfigScope, into jobs: inout [String: JobSettings]) -> [String] {
        for name in known {
            var settings = jobs[name] ?? JobSettings()
            settings.read(scope.scoped(to: name))
            jobs[name] = settings
        }
        return later.filter { scope.scoped(to: $0).string("schedule") != nil }.map(scope.key)
    }

    /// `jobs.NAME.*`, over these settings.
    mutating func read(_ job: ConfigScope) {
        if let text = job.string("schedule") {
            if text.isEmpty || text.lowercased() == "off" {
                schedule = nil
            } else {
                do {
                    schedule = try Schedule.parse(text)
                } catch {
                    job.problem("schedule", error.description)
                }
            }
        }
        maxAttempts = job.int("max-attempts", maxAttempts, 1...100)
        lease = job.duration("lease", lease)
        retryBase = job.duration("retry-base", retryBase)
        retryMax = job.duration("retry-max", retryMax)
        duration = job.duration("duration", duration)
        fail = job.bool("fail", fail)
        if lease.milliseconds < 2000 {
            job.problem("lease", "must be at least 2s")
        }
    }
}
