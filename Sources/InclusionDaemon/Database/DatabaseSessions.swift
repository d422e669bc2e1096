public import Logging
public import Postgres
import Prometheus

/// The daemon's connections to PostgreSQL, one per concern, so that a slow statement in one never delays another
/// (a job's long statement never holds up a lease renewal or a heartbeat). Each is a ``ConfinedConnection``: its
/// own queue, reconnection with backoff, `statement_timeout` and `lock_timeout` on every session, a client-side
/// deadline, cancellation.
public struct DatabaseSessions: Sendable {
    /// Start-up checks, instance registration, heartbeats and the stop record.
    public let heartbeat: ConfinedConnection
    /// LISTEN on the control channel.
    public let control: ConfinedConnection
    /// Slot insertion and lease rescue.
    public let scheduler: ConfinedConnection
    /// Claims, lease renewals and run completions.
    public let runner: ConfinedConnection
    /// The jobs' own statements.
    public let jobs: ConfinedConnection
    /// Reload requests and their acknowledgements.
    public let reload: ConfinedConnection
    /// The alert outbox: claims and outcomes of deliveries.
    public let delivery: ConfinedConnection

    public init(configuration: DaemonConfiguration, logger: Logger, metrics: DaemonMetrics) {
        func session(_ purpose: String) -> ConfinedConnection {
            Self.session(
                purpose,
                conninfo: configuration.databaseURL,
                statementTimeout: configuration.statementTimeout,
                lockTimeout: configuration.lockTimeout,
                logger: logger,
                metrics: metrics
            )
        }
        heartbeat = session("heartbeat")
        control = session("control")
        scheduler = session("scheduler")
        runner = session("runner")
        jobs = session("jobs")
        reload = session("reload")
        delivery = session("delivery")
    }

    /// Every session, for closing.
    var all: [ConfinedConnection] { [heartbeat, control, scheduler, runner, jobs, reload, delivery] }

    /// Closes every session.
    func close() async {
        for session in all { await session.close() }
    }

    /// One session of the daemon's: reconnections, overrun deadlines and lock timeouts are logged with the
    /// session's purpose (`db.session`) and counted.
    public static func session(
        _ purpose: String,
        conninfo: String,
        statementTimeout: ConfigDuration,
        lockTimeout: ConfigDuration,
        logger: Logger,
        metrics: DaemonMetrics
    ) -> ConfinedConnection {
        var logger = logger
        logger[metadataKey: "db.session"] = "\(purpose)"
        let configuration = ConfinedConnection.Configuration(
            conninfo: conninfo,
            applicationName: "inclusiond",
            statementTimeout: statementTimeout.duration,
            lockTimeout: lockTimeout.duration
        )
        return ConfinedConnection(configuration, label: "inclusiond.db.\(purpose)", logger: logger) {
            [logger] event in
            switch event {
            case .connected(reconnect: true):
                metrics.reconnects.increment()
                logger.notice("reconnected to PostgreSQL")
            case .connected(reconnect: false):
                break
            case .deadlineOverran:
                logger.warning("database call overran its deadline; cancelling")
            case .failed(let error):
                if DaemonErrorText.sqlState(of: error) == DaemonErrorText.lockNotAvailable {
                    metrics.lockTimeouts.increment()
                    logger.warning(
                        "database lock timeout: another session held a lock this statement needed",
                        metadata: ["lock_timeout": "\(lockTimeout)"]
                    )
                }
            }
        }
    }
}
