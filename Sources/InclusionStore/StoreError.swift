import InclusionCore
import Postgres

/// An error the store reports to its callers, in words a SENCO or an admin can act on.
///
/// `message` is written by this project (or is the text of one of our own SQL functions' errors, which carry
/// ids and field names only); server text that could echo row values never reaches it.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input breaks a rule (exit 65).
        case invalid
        /// The thing named does not exist or is not visible to this login (exit 66).
        case notFound
        /// The login may not do this (exit 77).
        case permissionDenied
        /// The database cannot be reached (exit 69).
        case unavailable
        /// The deployment is misconfigured: an edited migration, a schema newer than this build (exit 78).
        case configuration
        /// Anything else (exit 1).
        case other
    }

    public let kind: Kind
    /// The flag or column the problem is about, when there is one.
    public let field: String?
    public let message: String
    /// The physical line of an input file, when the problem is in one.
    public let line: Int?
    /// The server's own text behind the error, for debug output only: it can echo row values.
    public var debugDetail: String?
    /// The SQLSTATE of the PostgreSQL error behind this one, when there was one: lets a caller say more about a
    /// condition it caused itself (inclusionctl names the lock_timeout it set when 55P03 arrives).
    public var sqlState: String?

    public init(_ kind: Kind, field: String? = nil, _ message: String, line: Int? = nil) {
        self.kind = kind
        self.field = field
        self.message = message
        self.line = line
    }

    public var description: String {
        var text = field.map { "\($0): \(message)" } ?? message
        if let line { text += " (line \(line))" }
        return text
    }

    static func notFound(_ field: String, _ message: String) -> StoreError {
        StoreError(.notFound, field: field, message)
    }
    static func invalid(_ field: String, _ message: String) -> StoreError {
        StoreError(.invalid, field: field, message)
    }
}

extension StoreError {
    /// Any error as the one kind a public store method throws: a ``StoreError`` as it is, a ``PostgresError``
    /// translated by ``init(_:)``, a domain rule's ``ValidationError`` (or several) as invalid data about the same
    /// field and line, and anything else as `.other` in bland words. The other error's own description, which could
    /// carry values, is kept in ``debugDetail`` only.
    public init(wrapping error: any Error) {
        switch error {
        case let error as StoreError:
            self = error
        case let error as PostgresError:
            self.init(error)
        case let error as ValidationError:
            self.init(.invalid, field: error.field, error.message, line: error.line)
        case let errors as ValidationErrors:
            let first = errors.errors.first
            self.init(
                .invalid,
                field: first?.field,
                errors.errors.map(\.description).joined(separator: "; "),
                line: first?.line
            )
        default:
            self.init(.other, "the store failed in a way this program does not recognise (\(type(of: error)))")
            debugDetail = String(describing: error)
        }
    }

    /// Runs the body of a public store method so that the method throws ``StoreError``s only: whatever `body`
    /// throws is wrapped by ``init(wrapping:)``.
    static func translating<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw StoreError(wrapping: error) }
    }
}
