import CLibPQ
import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq connection.
///
/// A `Connection` is not thread-safe, like the `PGconn` it wraps: use it from one thread at a time. Code on
/// Swift's cooperative pool must go through ``ConfinedConnection``, which runs every call on the connection's
/// own serial queue so that blocking libpq calls never occupy a cooperative thread. A connection made there is
/// confined to that queue: in debug builds every libpq call on it checks that it runs there, so a test fails if
/// one does not. A plain connection (the CLI's, a test's) may be used from any one thread.
public final class Connection {
    private var handle: OpaquePointer?
    private let notices: NoticeSink
    public let logger: Logger
    /// The queue every libpq call must run on, once a ``ConfinedConnection`` owns this connection.
    private var confinement: DispatchQueue?
    /// Statements prepared on this session by ``query(prepared:_:)``: their text and the name the server knows them by.
    private var preparedNames: [String: String] = [:]

    /// Connects with a libpq connection string or URI. An empty string means libpq's own defaults
    /// (`PGHOST`, `PGDATABASE`, `PGUSER`, `PGSERVICE`, …), so every libpq convention keeps working.
    public init(conninfo: String, applicationName: String = "inclusion", logger: Logger) throws(PostgresError) {
        self.logger = logger
        self.notices = NoticeSink(logger: logger)
        // expand_dbname = 1: a conninfo string or URI given as "dbname" is expanded into its parts, the way psql
        // treats its first argument. Empty values are ignored by libpq, leaving its defaults.
        // Both arrays end with NULL, as libpq requires.
        let keys: [String?] = ["dbname", "fallback_application_name", nil]
        let values: [String?] = [conninfo, applicationName, nil]
        let connection = withOptionalCStringArray(keys) { keyPointers in
            withOptionalCStringArray(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, serverMessage: "out of memory creating a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, serverMessage: message)
        }
        self.handle = connection
        PQsetNoticeReceiver(
            connection,
            { argument, result in
                guard let argument, let result else { return }
                Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue().receive(result)
            },
            Unmanaged.passUnretained(notices).toOpaque()
        )
        // Dates are exchanged as ISO text whatever the server's default DateStyle.
        _ = try query("SET DateStyle = 'ISO, YMD'")
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Confines this connection to `queue`: from now on, in debug builds, a libpq call made anywhere else stops
    /// the process.
    func confine(to queue: DispatchQueue) {
        confinement = queue
    }

    /// Checks, in debug builds, that a confined connection is used on its queue. Every libpq call passes here.
    @inline(__always)
    private func assertConfined() {
        #if DEBUG
            if let confinement { dispatchPrecondition(condition: .onQueue(confinement)) }
        #endif
    }

    /// Closes the connection now rather than when it is released.
    public func close() {
        assertConfined()
        if let handle { PQfinish(handle) }
        handle = nil
        preparedNames = [:]
    }

    /// Whether the connection is open and usable.
    public var isOpen: Bool {
        assertConfined()
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The role this connection authenticated as (`session_user`).
    public var user: String {
        assertConfined()
        guard let handle, let text = PQuser(handle) else { return "" }
        return String(cString: text)
    }

    /// The server backend's process id.
    public var backendPID: Int32 {
        assertConfined()
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// The server version as a number, e.g. 150018.
    public var serverVersion: Int {
        assertConfined()
        guard let handle else { return 0 }
        return Int(PQserverVersion(handle))
    }

    /// The libpq handle, for a call about to be made on it: checks confinement, and that the connection is open.
    func liveHandle() throws(PostgresError) -> OpaquePointer {
        assertConfined()
        guard let handle else { throw PostgresError(code: .connectionLost, serverMessage: "connection is closed") }
        return handle
    }

    // MARK: Statements

    /// Runs one parameterised statement and returns its rows. Values travel as parameters, never as SQL text.
    @discardableResult
    public func query(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws(PostgresError) -> QueryResult {
        let handle = try liveHandle()
        let texts = parameters.map(\.postgresText)
        try Self.refuseNUL(texts)
        let result = withOptionalCStringArray(texts) { values in
            PQexecParams(handle, sql.text, Int32(texts.count), nil, values, nil, nil, 0)
        }
        return try check(result)
    }

    /// Runs one parameterised statement as a prepared statement of this session: the first call prepares it (parse,
    /// analyse, rewrite) and later calls with the same text only bind and execute it, and after a few executions
    /// PostgreSQL may keep a generic plan instead of planning again. For statements a loop sends many times with
    /// different values (the review sweep's per-school reads): row security adds its policies to every statement, so
    /// what is saved is not small. A session that loses its prepared statements (a pooler's `DISCARD ALL`) gets
    /// SQLSTATE 26000 once; the name is forgotten then, so the next call prepares it again.
    @discardableResult
    public func query(prepared sql: SQL, _ parameters: [any PostgresBindable] = []) throws(PostgresError) -> QueryResult
    {
        let handle = try liveHandle()
        let texts = parameters.map(\.postgresText)
        try Self.refuseNUL(texts)
        let name: String
        if let known = preparedNames[sql.text] {
            name = known
        } else {
            name = "inclusion_\(preparedNames.count + 1)"
            _ = try check(PQprepare(handle, name, sql.text, Int32(texts.count), nil))
            preparedNames[sql.text] = name
        }
        let result = withOptionalCStringArray(texts) { values in
            PQexecPrepared(handle, name, Int32(texts.count), values, nil, nil, 0)
        }
        do {
            return try check(result)
        } catch {
            if error.sqlState == "26000" { preparedNames[sql.text] = nil }
            throw error
        }
    }

    /// Runs a script of several statements with no parameters (migrations). Never pass user input here.
    public func executeScript(_ sql: SQL) throws(PostgresError) {
        let handle = try liveHandle()
        // PQexec returns only the last result; an error stops the script and is reported here.
        _ = try check(PQexec(handle, sql.text))
    }

    /// Runs a statement and hands each row to `body` as it arrives (libpq single-row mode), so a large result
    /// never sits in memory whole.
    public func stream(
        _ sql: SQL,
        _ parameters: [any PostgresBindable] = [],
        _ body: (Row) throws -> Void
    ) throws {
        let handle = try liveHandle()
        let texts = parameters.map(\.postgresText)
        try Self.refuseNUL(texts)
        let sent = withOptionalCStringArray(texts) { values in
            PQsendQueryParams(handle, sql.text, Int32(texts.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionError(PQerrorMessage(handle)) }
        PQsetSingleRowMode(handle)
        var failure: (any Error)?
        while let result = PQgetResult(handle) {
            if failure != nil {
                PQclear(result)
                continue
            }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                let wrapped = QueryResult(handle: result)
                do {
                    try body(wrapped[0])
                } catch {
                    failure = error
                    Self.cancel(handle)
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                PQclear(result)
            default:
                do { _ = try check(result) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// Runs `body` in a transaction, committing when it returns and rolling back when it throws. Serialization
    /// failures and deadlocks run the whole body again, up to `maxAttempts` times.
    public func transaction<T>(
        _ isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: (Connection) throws -> T
    ) throws -> T {
        // A nested BEGIN would only warn, and the inner COMMIT would commit the outer transaction early.
        guard !inTransaction else {
            throw PostgresError(code: .usage, serverMessage: "transaction() called inside a transaction")
        }
        var attempt = 1
        while true {
            try query("BEGIN ISOLATION LEVEL \(isolation.sql)")
            do {
                let value = try body(self)
                try query("COMMIT")
                return value
            } catch let error as PostgresError where error.isTransient && attempt < maxAttempts {
                rollbackQuietly()
                logger.debug(
                    "retrying transaction",
                    metadata: ["postgres.sqlstate": "\(error.sqlState ?? "")", "attempt": "\(attempt)"]
                )
                usleep(UInt32(1000 * attempt * attempt))
                attempt += 1
            } catch {
                rollbackQuietly()
                throw error
            }
        }
    }

    private func rollbackQuietly() {
        assertConfined()
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return }
        if PQtransactionStatus(handle) != PQTRANS_IDLE {
            PQclear(PQexec(handle, "ROLLBACK"))
        }
    }

    /// Whether the connection is inside a transaction block.
    public var inTransaction: Bool {
        assertConfined()
        guard let handle else { return false }
        return PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    /// Quotes an identifier (a channel name, a role name) with libpq's own escaping, as a fragment of a statement.
    public func quoteIdentifier(_ identifier: String) throws(PostgresError) -> SQL {
        let handle = try liveHandle()
        guard let escaped = PQescapeIdentifier(handle, identifier, identifier.utf8.count) else {
            throw PostgresError(code: .invalidText, serverMessage: Self.trimmed(PQerrorMessage(handle)))
        }
        defer { PQfreemem(escaped) }
        return SQL(trusted: String(cString: escaped))
    }

    // MARK: Results and errors

    func check(_ result: OpaquePointer?) throws(PostgresError) -> QueryResult {
        guard let result else {
            throw connectionError(handle.map { PQerrorMessage($0) } ?? nil)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE, PGRES_COPY_IN, PGRES_COPY_OUT:
            return QueryResult(handle: result)
        case PGRES_EMPTY_QUERY:
            return QueryResult(handle: result)
        default:
            let error = Self.error(from: result, connection: handle)
            PQclear(result)
            throw error
        }
    }

    func connectionError(_ message: UnsafePointer<CChar>?) -> PostgresError {
        let lost = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        return PostgresError(code: lost ? .connectionLost : .other, serverMessage: Self.trimmed(message))
    }

    static func error(from result: OpaquePointer, connection: OpaquePointer?) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let text = PQresultErrorField(result, code) else { return nil }
            return String(cString: text)
        }
        let message = field(CLibPQ_DIAG_MESSAGE_PRIMARY) ?? trimmed(PQresultErrorMessage(result))
        guard let sqlState = field(CLibPQ_DIAG_SQLSTATE) else {
            // No SQLSTATE: a client-side failure, typically the connection going away mid-statement.
            let lost = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
            return PostgresError(code: lost ? .connectionLost : .other, serverMessage: message)
        }
        return PostgresError(
            code: PostgresError.classify(
                sqlState: sqlState,
                message: message,
                sourceFunction: field(CLibPQ_DIAG_SOURCE_FUNCTION)
            ),
            sqlState: sqlState,
            constraint: field(CLibPQ_DIAG_CONSTRAINT_NAME),
            table: field(CLibPQ_DIAG_TABLE_NAME),
            column: field(CLibPQ_DIAG_COLUMN_NAME),
            serverMessage: message,
            serverDetail: field(CLibPQ_DIAG_MESSAGE_DETAIL),
            serverHint: field(CLibPQ_DIAG_MESSAGE_HINT)
        )
    }

    static func trimmed(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else { return nil }
        let value = String(cString: text)
        var end = value.endIndex
        while end > value.startIndex, value[value.index(before: end)].isWhitespace { end = value.index(before: end) }
        return String(value[..<end])
    }

    static func refuseNUL(_ texts: [String?]) throws(PostgresError) {
        for text in texts where text?.utf8.contains(0) == true {
            throw PostgresError(code: .invalidText, serverMessage: "a parameter contains a NUL byte")
        }
    }

    static func cancel(_ handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }
}

/// Transaction isolation levels.
public enum IsolationLevel: Sendable {
    case readCommitted, repeatableRead, serializable

    var sql: SQL {
        switch self {
        case .readCommitted: return "READ COMMITTED"
        case .repeatableRead: return "REPEATABLE READ"
        case .serializable: return "SERIALIZABLE"
        }
    }
}

/// Routes libpq notices (RAISE NOTICE, warnings) to swift-log instead of stderr.
final class NoticeSink {
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func receive(_ result: OpaquePointer) {
        func field(_ code: Int32) -> String {
            guard let text = PQresultErrorField(result, code) else { return "" }
            return String(cString: text)
        }
        // The text can carry values, so it is logged at debug level only.
        logger.debug(
            "postgres notice",
            metadata: [
                "postgres.severity": "\(field(CLibPQ_DIAG_SEVERITY))",
                "postgres.sqlstate": "\(field(CLibPQ_DIAG_SQLSTATE))",
                "postgres.message": "\(field(CLibPQ_DIAG_MESSAGE_PRIMARY))",
            ]
        )
    }
}

func withOptionalCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { string in string.flatMap { strdup($0) } }
    defer { pointers.forEach { free($0) } }
    return body(pointers.map { UnsafePointer($0) })
}

extension Connection {
    /// Turns a password into the verifier PostgreSQL stores (SCRAM-SHA-256), on the client, with libpq's
    /// `PQencryptPasswordConn`: the clear text never travels to the server.
    public func encryptPassword(_ password: String, user: String) throws(PostgresError) -> String {
        let handle = try liveHandle()
        guard let encrypted = PQencryptPasswordConn(handle, password, user, "scram-sha-256") else {
            throw PostgresError(code: .other, serverMessage: Connection.trimmed(PQerrorMessage(handle)))
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }
}
