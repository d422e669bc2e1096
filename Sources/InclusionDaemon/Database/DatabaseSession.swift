@preconcurrency import Dispatch
import Foundation
import Logging
import Postgres
import Prometheus

/// One service's connection to PostgreSQL, kept on its own serial queue (libpq blocks; Swift's cooperative pool
/// must not), reconnected after failures with capped exponential backoff, and bounded by deadlines.
///
/// Every statement has a server-side `statement_timeout`; the client also gives up a little after it and cancels
/// the query, so a half-open connection cannot hang a job forever. Every session also sets `lock_timeout`, so a
/// login that holds a lock the daemon needs (a row, a table, one of the project's advisory locks) makes the
/// statement fail with a lock timeout, logged and counted, instead of freezing the service.
public final class DatabaseSession: @unchecked Sendable {
    // `connection` and `nextAttempt`/`failures` are touched only on `queue`.
    private var connection: Connection?
    private var cancelHandle: CancelHandle?
    private var failures = 0
    private var everConnected = false
    private var nextAttempt = DispatchTime.now()
    private let queue: DispatchQueue
    let conninfo: String
    let purpose: String
    let statementTimeout: ConfigDuration
    let lockTimeout: ConfigDuration
    let logger: Logger
    let metrics: DaemonMetrics
    /// Largest wait between reconnection attempts.
    static let backoffCap = 5.0

    public init(
        conninfo: String,
        purpose: String,
        statementTimeout: ConfigDuration,
        lockTimeout: ConfigDuration,
        logger: Logger,
        metrics: DaemonMetrics
    ) {
        self.conninfo = conninfo
        self.purpose = purpose
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
        self.logger = logger
        self.metrics = metrics
        self.queue = DispatchQueue(label: "inclusiond.db.\(purpose)")
    }

    /// The database could not be reached (yet); the caller tries again later.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `body` with a live connection on this session's queue. A lost connection is dropped so the next call
    /// reconnects; the error is rethrown for the caller's loop to handle.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let deadline = statementTimeout.seconds + 5
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let finished = ManagedFlag()
            // The client-side bound: cancel the statement if the server has not answered well after its own
            // statement_timeout (a half-open connection never answers).
            let timer = DispatchSource.makeTimerSource()
            timer.schedule(deadline: .now() + deadline)
            timer.setEventHandler { [weak self] in
                guard !finished.isSet else { return }
                self?.logger.warning(
                    "database call overran its deadline; cancelling",
                    metadata: ["db.session": "\(self?.purpose ?? "")"]
                )
                self?.cancelHandle?.cancel()
            }
            timer.resume()
            queue.async {
                defer {
                    finished.set()
                    timer.cancel()
                }
                do {
                    let connection = try self.liveConnection()
                    continuation.resume(returning: try body(connection))
                } catch {
                    // Whatever the error's type (the stores translate PostgreSQL's), a broken connection is dropped
                    // so the next call reconnects.
                    if !(self.connection?.isOpen ?? false) { self.drop() }
                    if DaemonErrorText.sqlState(of: error) == DaemonErrorText.lockNotAvailable {
                        self.metrics.lockTimeouts.increment()
                        self.logger.warning(
                            "database lock timeout: another session held a lock this statement needed",
                            metadata: [
                                "db.session": "\(self.purpose)", "lock_timeout": "\(self.lockTimeout)",
                            ]
                        )
                    }
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Closes the connection (on shutdown).
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection?.close()
                self.connection = nil
                continuation.resume()
            }
        }
    }

    /// Sets the session's `statement_timeout` and `lock_timeout` (in milliseconds, for the whole session).
    static func applyTimeouts(_ connection: Connection, statement: ConfigDuration, lock: ConfigDuration) throws {
        try connection.query(
            "SELECT set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)",
            [String(statement.milliseconds), String(lock.milliseconds)]
        )
    }

    private func drop() {
        connection?.close()
        connection = nil
        cancelHandle = nil
    }

    private func liveConnection() throws -> Connection {
        if let connection, connection.isOpen { return connection }
        if connection != nil {
            drop()
        }
        guard DispatchTime.now() >= nextAttempt else {
            throw Unavailable(description: "waiting to reconnect to PostgreSQL")
        }
        do {
            let fresh = try Connection(conninfo: conninfo, applicationName: "inclusiond", logger: logger)
            try Self.applyTimeouts(fresh, statement: statementTimeout, lock: lockTimeout)
            if everConnected {
                metrics.reconnects.increment()
                logger.notice("reconnected to PostgreSQL", metadata: ["db.session": "\(purpose)"])
            }
            everConnected = true
            failures = 0
            connection = fresh
            cancelHandle = CancelHandle(fresh)
            return fresh
        } catch {
            failures += 1
            let wait = min(Self.backoffCap, 0.1 * pow(2, Double(failures - 1)))
            nextAttempt = .now() + wait
            throw error
        }
    }
}

/// A flag set once, readable from any thread.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
