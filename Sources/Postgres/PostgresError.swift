/// An error from PostgreSQL or from libpq.
///
/// `description` is deliberately bland: the server's message text can echo row values (a duplicate key's value,
/// a failing row in a check violation), and pupil data must never reach logs. The server text is kept for
/// `debugDescription` and for callers that know the message is safe to show (see ``isApplicationError``).
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A coarse classification, matchable in `catch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let connectionFailed = Code("connection failed")
        public static let connectionLost = Code("connection lost")
        public static let uniqueViolation = Code("unique violation")
        public static let foreignKeyViolation = Code("foreign key violation")
        public static let checkViolation = Code("check violation")
        public static let notNullViolation = Code("not-null violation")
        public static let exclusionViolation = Code("exclusion violation")
        public static let insufficientPrivilege = Code("insufficient privilege")
        public static let rowLevelSecurity = Code("row-level security violation")
        public static let serializationFailure = Code("serialization failure")
        public static let deadlock = Code("deadlock detected")
        public static let invalidText = Code("invalid input")
        public static let queryCanceled = Code("query canceled")
        public static let undefinedObject = Code("undefined object")
        public static let application = Code("application error")
        public static let decoding = Code("decoding error")
        public static let usage = Code("client usage error")
        public static let other = Code("server error")

        /// Lets `catch PostgresError.Code.uniqueViolation { … }` match a ``PostgresError`` of that code (GRDB's
        /// `ResultCode ~=` is the model).
        public static func ~= (pattern: Code, error: any Error) -> Bool {
            (error as? PostgresError)?.code == pattern
        }
    }

    public let code: Code
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    /// Schema-level names from the error fields: safe to show (they name objects, not values).
    public let constraint: String?
    public let table: String?
    public let column: String?
    /// The server's or libpq's message. May contain row values: never log it, never put it in `description`.
    public let serverMessage: String?
    public let serverDetail: String?
    public let serverHint: String?

    public init(
        code: Code,
        sqlState: String? = nil,
        constraint: String? = nil,
        table: String? = nil,
        column: String? = nil,
        serverMessage: String? = nil,
        serverDetail: String? = nil,
        serverHint: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.constraint = constraint
        self.table = table
        self.column = column
        self.serverMessage = serverMessage
        self.serverDetail = serverDetail
        self.serverHint = serverHint
    }

    /// Errors raised by this project's own SQL functions use SQLSTATEs of class `IN` and messages written to
    /// carry ids and field names only, so their text may be shown to the user.
    public var isApplicationError: Bool { sqlState?.hasPrefix("IN") ?? false }

    /// True for errors worth retrying the whole transaction for.
    public var isTransient: Bool { code == .serializationFailure || code == .deadlock }

    public var description: String {
        var text = "PostgreSQL: \(code.name)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let constraint { text += " on constraint \(constraint)" } else if let table { text += " on table \(table)" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let serverMessage { text += ": \(serverMessage)" }
        if let serverDetail { text += " DETAIL: \(serverDetail)" }
        if let serverHint { text += " HINT: \(serverHint)" }
        return text
    }

    static func classify(sqlState: String, message: String?, sourceFunction: String? = nil) -> Code {
        switch sqlState {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "23514": return .checkViolation
        case "23502": return .notNullViolation
        case "23P01": return .exclusionViolation
        case "42501":
            // PostgreSQL reports RLS WITH CHECK failures with the same SQLSTATE as a missing grant. The server
            // function that raised it tells them apart whatever the server's language (lc_messages); the English
            // text is a fallback. Neither is ever exposed.
            if sourceFunction == "ExecWithCheckOptions" { return .rowLevelSecurity }
            if let message, message.contains("row-level security") { return .rowLevelSecurity }
            return .insufficientPrivilege
        case "40001": return .serializationFailure
        case "40P01": return .deadlock
        case "57014": return .queryCanceled
        case "42704", "42883", "42P01", "3D000", "28000": return .undefinedObject
        default:
            if sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03" {
                return .connectionLost
            }
            if sqlState.hasPrefix("22") { return .invalidText }
            if sqlState.hasPrefix("IN") { return .application }
            return .other
        }
    }
}
