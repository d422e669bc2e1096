import Foundation
import InclusionStore
import Postgres

/// An error in words fit for a log line or the job_run table: PostgreSQL errors by kind and SQLSTATE only (their
/// server text can carry row values), others by their description. Lock and statement timeouts say so plainly.
struct DaemonErrorText: CustomStringConvertible {
    /// SQLSTATE 55P03: a lock was not granted within `lock_timeout`.
    static let lockNotAvailable = "55P03"
    /// SQLSTATE 57014: the statement ran past `statement_timeout` or was cancelled.
    static let queryCanceled = "57014"

    let error: any Error

    init(_ error: any Error) { self.error = error }

    var description: String {
        switch Self.sqlState(of: error) {
        case Self.lockNotAvailable:
            return "lock timeout: another session held a lock this statement needed for longer than "
                + "database.lock-timeout (SQLSTATE 55P03)"
        case Self.queryCanceled:
            return "statement timeout: the statement ran longer than database.statement-timeout or was cancelled "
                + "(SQLSTATE 57014)"
        default:
            break
        }
        switch error {
        case let error as PostgresError: return error.description
        default: return "\(error)"
        }
    }

    /// The SQLSTATE behind an error: a ``PostgresError`` carries it, and so does a ``StoreError`` translated from
    /// one; an older ``StoreError`` built by hand may name it as `(SQLSTATE XXXXX)` in its debug detail (only the code
    /// is taken from there: the rest is server text, never logged) or its message.
    static func sqlState(of error: any Error) -> String? {
        switch error {
        case let error as PostgresError:
            return error.sqlState
        case let error as StoreError:
            return error.sqlState ?? code(in: error.debugDetail ?? "") ?? code(in: error.message)
        default:
            return nil
        }
    }

    /// The first `(SQLSTATE XXXXX)` in a text.
    static func code(in text: String) -> String? {
        guard let range = text.range(of: "(SQLSTATE ") else { return nil }
        let rest = text[range.upperBound...]
        let code = rest.prefix(5)
        guard code.count == 5, rest.dropFirst(5).first == ")",
            code.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) })
        else { return nil }
        return String(code)
    }
}
