import Foundation
import InclusionCore
public import Logging
public import Postgres

/// What a job gets for one run.
public struct JobContext: Sendable {
    /// The run's id, or nil for `--run-once`.
    public let runID: Int64?
    /// The day the job evaluates rules as of: the run's `--as-of`, else today in the configured time zone.
    public let asOf: Day
    public let session: ConfinedConnection
    public let settings: JobSettings
    public let logger: Logger
    /// The daemon's metrics (a throwaway set for `--run-once`).
    public let metrics: DaemonMetrics
}

/// A job the daemon can run: one type implementing this protocol, listed in ``JobCatalog/all``, which gives it its
/// `jobs.NAME.*` keys. A job is idempotent (a run may be retried after its instance died) and never logs pupil data.
public protocol DaemonJob: Sendable {
    /// The job's name: its `jobs.NAME` key, its `job_run.job` and the argument of `--run-once`.
    static var name: String { get }
    /// `jobs.NAME.schedule`'s default, in `timezone`; nil runs the job only when asked.
    static var defaultSchedule: Schedule? { get }
    init()
    func run(_ context: JobContext) async throws
}

/// The jobs of this version.
public enum JobCatalog {
    /// Every job of this version, in the order the configuration reads them: the one list of jobs, from which
    /// ``JobSettings/known``, the default ``DaemonConfiguration/jobs`` and ``jobs`` come.
    public static let all: [any DaemonJob.Type] = [
        ReviewSweepJob.self,
        DigestJob.self,
        AuditAnchorJob.self,
        CanaryJob.self,
    ]

    /// ``all`` by name: the job a run or `--run-once` names.
    public static let jobs = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

/// A job's failure in words fit for the job_run table and the log: no server text, no pupil data.
struct JobFailure: Error, CustomStringConvertible {
    let description: String
}
