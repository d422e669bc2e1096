import Dispatch
public import Logging

/// One PostgreSQL connection for use from Swift concurrency: confined to its own serial queue, reconnected after
/// failures with capped exponential backoff, every statement bounded by deadlines, and cancellable.
///
/// libpq calls block, and Swift's cooperative pool has one thread per core (two here): a blocking call made on it
/// stalls unrelated tasks. This actor runs on a ``QueueExecutor``, so every call through ``withConnection(_:)`` happens on the
/// connection's own queue, one at a time, while the calling task is suspended (GRDB's `SerializedDatabase` is the
/// model). The connection never leaves the queue: in debug builds each libpq call on it checks that it runs there.
///
/// Deadlines: each connection sets `statement_timeout` and `lock_timeout` for its whole session, so the server ends
/// a slow statement, and a lock held elsewhere fails the statement instead of freezing the caller. The client also
/// cancels a statement that has not answered ``Configuration/deadlineGrace`` after the statement timeout (a
/// half-open connection never answers). Cancelling the calling task cancels its statement on the server too.
public actor ConfinedConnection {
    /// How to connect, and the deadlines of every statement.
    public struct Configuration: Sendable {
        /// A libpq connection string or URI; empty means libpq's own defaults.
        public var conninfo: String
        /// `fallback_application_name`: shown in `pg_stat_activity` unless the conninfo names one.
        public var applicationName: String
        /// The session's `statement_timeout`; nil leaves the server's (and sets no client deadline).
        public var statementTimeout: Duration?
        /// The session's `lock_timeout`; nil leaves the server's.
        public var lockTimeout: Duration?
        /// How long after the statement timeout the client gives up and cancels the statement.
        public var deadlineGrace: Duration = .seconds(5)
        /// When to try again after a failed connection attempt.
        public var backoff = ReconnectBackoff()

        public init(
            conninfo: String,
            applicationName: String = "inclusion",
            statementTimeout: Duration? = nil,
            lockTimeout: Duration? = nil
        ) {
            self.conninfo = conninfo
            self.applicationName = applicationName
            self.statementTimeout = statementTimeout
            self.lockTimeout = lockTimeout
        }
    }

    /// What happened, for the owner to log and count (this library logs at debug level only).
    public enum Event: Sendable {
        /// A connection was made; `reconnect` when an earlier one had been made and lost.
        case connected(reconnect: Bool)
        /// A statement ran past its client-side deadline and was cancelled.
        case deadlineOverran
        /// A call failed (the connection is dropped first if it was lost).
        case failed(any Error)
    }

    /// A call made while the connection waits out its backoff after a failed attempt.
    public struct ReconnectPending: Error, Sendable, CustomStringConvertible {
        /// When the next attempt may be made.
        public let retryAt: ContinuousClock.Instant
        public var description: String { "waiting to reconnect to PostgreSQL" }
    }

    private let executor: QueueExecutor
    private let configuration: Configuration
    private let logger: Logger
    private let onEvent: @Sendable (Event) -> Void
    private let canceller = StatementCanceller()
    private var connection: Connection?
    private var cancelHandle: CancelHandle?
    private var backoff: ReconnectBackoff
    private var everConnected = false

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// A connection made on first use. `label` names its queue (and thread, in a debugger).
    public init(
        _ configuration: Configuration,
        label: String,
        logger: Logger,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.executor = QueueExecutor(label: label)
        self.configuration = configuration
        self.logger = logger
        self.onEvent = onEvent
        self.backoff = configuration.backoff
    }

    /// Connects now, with no session deadlines, on a new queue: for tests and tools that want a connection error at
    /// once rather than at the first call.
    public static func connect(
        conninfo: String,
        applicationName: String = "inclusion",
        logger: Logger
    ) async throws -> ConfinedConnection {
        let confined = ConfinedConnection(
            Configuration(conninfo: conninfo, applicationName: applicationName),
            label: "inclusion.postgres.connection",
            logger: logger
        )
        try await confined.withConnection { _ in }
        return confined
    }

    /// When the next connection attempt may be made (now if connected or never failed).
    public var nextAttempt: ContinuousClock.Instant { backoff.nextAttempt ?? .now }

    /// Runs `body` with a live connection, on the connection's queue. A lost connection is dropped, so the next
    /// call reconnects; the error is rethrown for the caller's loop to handle.
    public func withConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        do {
            try Task.checkCancellation()
            let connection = try liveConnection()
            guard let handle = cancelHandle else { return try body(connection) }
            let id = canceller.begin(handle)
            defer { canceller.end(id) }
            let timer = deadlineTimer(for: id)
            defer { timer?.cancel() }
            // The operation must call back into this actor without `await`: a closure that does not use `self` is
            // not isolated to it and would run on the cooperative pool (the confinement check caught exactly that).
            return try await withTaskCancellationHandler {
                try self.perform(body, on: connection)
            } onCancel: { [canceller] in
                canceller.cancel(id)
            }
        } catch {
            if !(connection?.isOpen ?? false) { drop() }
            onEvent(.failed(error))
            throw error
        }
    }

    private func perform<T>(_ body: @Sendable (Connection) throws -> T, on connection: Connection) throws -> T {
        // Cancelled while waiting for the queue: do not start the statement at all.
        try Task.checkCancellation()
        return try body(connection)
    }

    /// Closes the connection; the next call reconnects.
    public func close() {
        drop()
    }

    private func deadlineTimer(for id: UInt64) -> (any DispatchSourceTimer)? {
        guard let statementTimeout = configuration.statementTimeout else { return nil }
        let deadline = statementTimeout + configuration.deadlineGrace
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(Int(deadline.milliseconds)))
        timer.setEventHandler { [canceller, onEvent] in
            guard canceller.isRunning(id) else { return }
            onEvent(.deadlineOverran)
            canceller.cancel(id)
        }
        timer.resume()
        return timer
    }

    private func drop() {
        connection?.close()
        connection = nil
        cancelHandle = nil
    }

    private func liveConnection() throws -> Connection {
        if let connection, connection.isOpen { return connection }
        if connection != nil { drop() }
        let now = ContinuousClock.now
        guard backoff.allowsAttempt(at: now) else { throw ReconnectPending(retryAt: nextAttempt) }
        do {
            let fresh = try Connection(
                conninfo: configuration.conninfo,
                applicationName: configuration.applicationName,
                logger: logger
            )
            fresh.confine(to: executor.queue)
            try Self.applyTimeouts(fresh, statement: configuration.statementTimeout, lock: configuration.lockTimeout)
            backoff.succeeded()
            connection = fresh
            cancelHandle = CancelHandle(fresh)
            onEvent(.connected(reconnect: everConnected))
            everConnected = true
            return fresh
        } catch {
            let wait = backoff.failed(at: now)
            logger.debug("cannot connect to PostgreSQL", metadata: ["retry.seconds": "\(wait)"])
            throw error
        }
    }

    /// Sets the session's `statement_timeout` and `lock_timeout` (in milliseconds, for the whole session).
    static func applyTimeouts(_ connection: Connection, statement: Duration?, lock: Duration?) throws(PostgresError) {
        var settings: [(String, Duration)] = []
        if let statement { settings.append(("statement_timeout", statement)) }
        if let lock { settings.append(("lock_timeout", lock)) }
        for (name, value) in settings {
            try connection.query("SELECT set_config($1, $2, false)", [name, String(value.milliseconds)])
        }
    }
}

extension Duration {
    /// The whole milliseconds in this duration.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
