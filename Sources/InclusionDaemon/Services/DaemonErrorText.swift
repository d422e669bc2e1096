import Postgres

/// An error in words fit for a log line or the job_run table: PostgreSQL errors by kind and SQLSTATE only (their
/// server text can carry row values), others by their description.
struct DaemonErrorText: CustomStringConvertible {
    let error: any Error

    init(_ error: any Error) { self.error = error }

    var description: String {
        switch error {
        case let error as PostgresError: return error.description
        default: return "\(error)"
        }
    }
}
