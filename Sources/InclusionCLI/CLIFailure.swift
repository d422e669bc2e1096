import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore
import Postgres

/// The sysexits codes of DESIGN §8.
enum ExitStatus: Int32, Sendable {
    case ok = 0
    case failure = 1
    case noLiveDaemon = 3
    case usage = 64
    case invalidData = 65
    case notFound = 66
    case unavailable = 69
    case software = 70
    case permissionDenied = 77
    case configuration = 78
}

/// One bad row of an input file.
struct RowProblem: Codable, Sendable, Equatable {
    let line: Int
    let field: String
    let message: String
}

/// A failure the user sees: an exit status, the field it is about, the file line, and a message that names the
/// problem and the fix. Never carries server text that could echo pupil data.
struct CLIFailure: Error, CustomStringConvertible {
    let exit: ExitStatus
    let field: String?
    let line: Int?
    let message: String
    var rows: [RowProblem] = []
    /// The server's own text, shown only with INCLUSIONCTL_DEBUG set (it can echo row values).
    var debugDetail: String?

    init(exit: ExitStatus, field: String? = nil, line: Int? = nil, message: String, rows: [RowProblem] = []) {
        self.exit = exit
        self.field = field
        self.line = line
        self.message = message
        self.rows = rows
    }

    init(_ error: any Error) {
        switch error {
        case let failure as CLIFailure:
            self = failure
        case let error as StoreError:
            let exit: ExitStatus
            switch error.kind {
            case .invalid: exit = .invalidData
            case .notFound: exit = .notFound
            case .permissionDenied: exit = .permissionDenied
            case .unavailable: exit = .unavailable
            case .configuration: exit = .configuration
            case .other: exit = .failure
            }
            self.init(exit: exit, field: error.field, line: error.line, message: Self.message(for: error))
            debugDetail = error.debugDetail
        case let error as ValidationError:
            self.init(exit: .invalidData, field: error.field, line: error.line, message: error.message)
        case let error as ValidationErrors:
            let first = error.errors.first
            self.init(
                exit: .invalidData,
                field: first?.field,
                line: first?.line,
                message: error.errors.map(\.description).joined(separator: "; ")
            )
        case let error as PostgresError:
            self.init(StoreError(error))
            debugDetail = error.debugDescription
        default:
            self.init(exit: .failure, message: "\(error)")
        }
    }

    /// A store error's message, with what only inclusionctl knows: the time limits it set on the session, and
    /// where the server's own words can be seen.
    private static func message(for error: StoreError) -> String {
        let limits = SessionLimits.current
        switch (error.sqlState, limits) {
        case ("55P03", let limits?):
            return "the database is busy: waited \(limits.lockTimeout) (lock_timeout) for a lock that another session "
                + "holds; try again, or ask an admin to look at pg_stat_activity"
        case ("57014", let limits?):
            return "the database stopped the command: a statement ran longer than \(limits.statementTimeout) "
                + "(statement_timeout), or an admin cancelled it; try again when the database is less busy"
        default:
            break
        }
        if error.kind == .other, error.debugDetail != nil {
            return error.message + "; INCLUSIONCTL_DEBUG=1 shows the server's own words (they may repeat your values)"
        }
        return error.message
    }

    var description: String {
        var text = "error: "
        if let field { text += "\(field): " }
        text += message
        if let line { text += " (line \(line))" }
        return text
    }

    /// The JSON error document of DESIGN §8.
    var jsonDocument: [String: Any] {
        var body: [String: Any] = ["exit": Int(exit.rawValue), "message": message]
        if let field { body["field"] = field }
        if let line { body["line"] = line }
        if !rows.isEmpty {
            body["rows"] = rows.map { ["line": $0.line, "field": $0.field, "message": $0.message] as [String: Any] }
        }
        return ["error": body]
    }
}
