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

/// A job the daemon can run: one type implementing this protocol plus a `jobs.NAME` entry in the configuration.
/// A job is idempotent (a run may be retried after its instance died) and never logs pupil data.
public protocol DaemonJob: Sendable {
    static var name: String { get }
    init()
    func run(_ context: JobContext) async throws
}

/// The jobs of this version, by name.
public enum JobCatalog {
    public static let jobs: [String: any DaemonJob.Type] = [
        ReviewSweepJob.name: ReviewSweepJob.self,
        DigestJob.name: DigestJob.self,
        AuditAnchorJob.name: AuditAnchorJob.self,
        CanaryJob.name: CanaryJob.self,
    ]
}

/// A job's failure in words fit for the job_run table and the log: no server text, no pupil data.
struct JobFailure: Error, CustomStringConvertible {
    let description: String
}
