import Foundation
import InclusionCore
import InclusionStore
public import Logging
import Postgres
public import ServiceLifecycle
public import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// Exit codes of `inclusiond` (DESIGN §7).
public enum DaemonExit: Int32, Sendable {
    case ok = 0
    case failure = 1
    case unavailable = 69
    case configuration = 78
}

/// A start-up failure: why, and the exit code it maps to.
public struct DaemonStartError: Error, CustomStringConvertible {
    public let exit: DaemonExit
    public let description: String
}

/// Assembles and runs the daemon: start-up checks, then the services in one `ServiceGroup`.
public enum Daemon {
    public static let version = "0.2.0"

    /// Connects on `session`, retrying with its capped exponential backoff until `startTimeout` (then exit 69), and
    /// refuses a superuser, a BYPASSRLS role or the schema owner (unless allowed, loudly) and a schema this build
    /// cannot use (exit 78). The session keeps the connection for what follows.
    static func connectAndCheck(
        _ configuration: DaemonConfiguration,
        session: ConfinedConnection,
        logger: Logger
    ) async throws {
        let deadline = ContinuousClock.now + configuration.startTimeout.duration
        while true {
            do {
                try await session.withConnection { connection in
                    try checkRole(connection, configuration: configuration, logger: logger)
                    try checkSchema(connection)
                }
                return
            } catch let error as PostgresError where error.code == .connectionFailed {
                let lastError = error.serverMessage ?? error.description
                if ContinuousClock.now >= deadline {
                    throw DaemonStartError(
                        exit: .unavailable,
                        description: "PostgreSQL was unreachable for \(configuration.startTimeout): \(lastError)"
                    )
                }
                let retry = await session.nextAttempt
                logger.notice(
                    "waiting for PostgreSQL",
                    metadata: ["retry.seconds": "\((retry - .now).seconds)", "error": "\(lastError)"]
                )
                try await Task.sleep(until: retry)
            } catch let pending as ConfinedConnection.ReconnectPending {
                try await Task.sleep(until: pending.retryAt)
            }
        }
    }

    static func checkRole(_ connection: Connection, configuration: DaemonConfiguration, logger: Logger) throws {
        // The schema owner, or a login that is a member of it (and so can SET ROLE to it), is refused like a
        // superuser: every policy admits the owner, and the SECURITY DEFINER functions run as it.
        let row = try connection.query(
            """
            SELECT r.rolsuper, r.rolbypassrls,
                   coalesce((SELECT pg_has_role(current_user, n.nspowner, 'MEMBER') FROM pg_namespace n
                             WHERE n.nspname = 'inclusion'), false),
                   (SELECT n.nspowner::regrole::text FROM pg_namespace n WHERE n.nspname = 'inclusion')
            FROM pg_roles r WHERE r.rolname = current_user
            """
        )[0]
        let superuser = try row.decode(Bool.self, 0)
        let bypass = try row.decode(Bool.self, 1)
        let owner = try row.decode(Bool.self, 2)
        let ownerName = try row.decode(String?.self, 3) ?? "?"
        guard superuser || bypass || owner else { return }
        let what = superuser ? "a superuser" : bypass ? "a BYPASSRLS role" : "the schema owner"
        let why =
            superuser || bypass
            ? "row-level security would not bind it"
            : "\(ownerName) owns schema inclusion (this login is it or a member of it): every policy admits the "
                + "owner and the SECURITY DEFINER functions run as it, so row-level security would not bind it"
        guard configuration.allowSuperuser else {
            throw DaemonStartError(
                exit: .configuration,
                description: "refusing to run as \(what): \(why). Connect as the daemon login (db migrate "
                    + "--daemon-login), or set database.allow-superuser for development"
            )
        }
        logger.critical(
            "RUNNING AS \(what.uppercased()): row-level security does not bind this daemon (database.allow-superuser is set; development only)"
        )
    }

    static func checkSchema(_ connection: Connection) throws {
        let report: Migrator.Report
        do {
            report = try Migrator(connection: connection).status()
        } catch {
            throw DaemonStartError(exit: .configuration, description: "cannot read the schema's version: \(error)")
        }
        let needed = Migration.currentVersion
        if report.schemaVersion < needed {
            throw DaemonStartError(
                exit: .configuration,
                description: "the schema is at version \(report.schemaVersion) but this daemon needs \(needed): run "
                    + "`inclusionctl db migrate` as the database owner"
            )
        }
        if let from = report.servesDaemonsFrom, from > needed {
            throw DaemonStartError(
                exit: .configuration,
                description: "the schema (version \(report.schemaVersion)) no longer serves daemons built for schema "
                    + "\(needed): upgrade inclusiond"
            )
        }
    }

    /// Start-up, then the daemon's services in one group (hummingbird's `buildApplication` is the model): `main`
    /// and the tests both call it. Connects and checks the database (``DaemonStartError`` with exit 69 or 78 when
    /// it cannot), registers this instance and the jobs, then assembles the services in dependency order; the
    /// caller runs the group. Every database call, from the first, goes through the sessions' own queues.
    public static func buildServiceGroup(
        configuration: DaemonConfiguration,
        configPath: String?,
        databaseOverride: String?,
        logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(),
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]
    ) async throws(DaemonStartError) -> ServiceGroup {
        let metrics = DaemonMetrics()
        let sessions = DatabaseSessions(configuration: configuration, logger: logger, metrics: metrics)
        let instanceID: Int64
        do {
            instanceID = try await register(configuration, session: sessions.heartbeat, logger: logger)
        } catch {
            await sessions.close()
            throw error
        }
        for key in configuration.ignored {
            logger.warning(
                "configuration key ignored: not available in this version",
                metadata: ["config.key": "\(key)"]
            )
        }
        for warning in OutboundCheck.warnings(configuration.delivery, environment: ProcessInfo.processInfo.environment)
        {
            logger.warning("\(warning)")
        }
        var logger = logger
        logger[metadataKey: "instance.id"] = "\(instanceID)"
        let state = DaemonState(
            configuration: configuration,
            instanceID: instanceID,
            configPath: configPath,
            databaseOverride: databaseOverride
        )
        // Started in this order, stopped in reverse: the database sessions outlive every service that uses them.
        var services: [any Service] = [DatabaseService(sessions: sessions, instanceID: instanceID, logger: logger)]
        if let listen = configuration.httpListen {
            services.append(
                HealthServer(host: listen.host, port: listen.port, state: state, metrics: metrics, logger: logger)
            )
        }
        services += [
            HeartbeatService(session: sessions.heartbeat, state: state, logger: logger),
            ControlListener(session: sessions.control, state: state, metrics: metrics, logger: logger),
            ReloadService(session: sessions.reload, state: state, notifier: notifier, metrics: metrics, logger: logger),
            SchedulerService(
                session: sessions.scheduler,
                state: state,
                notifier: notifier,
                metrics: metrics,
                logger: logger
            ),
            JobRunnerService(
                session: sessions.runner,
                jobSession: sessions.jobs,
                state: state,
                metrics: metrics,
                logger: logger
            ),
            DeliveryService(session: sessions.delivery, state: state, metrics: metrics, logger: logger),
            StoppingNotifier(notifier: notifier),
        ]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace.duration + .seconds(15)
        return ServiceGroup(configuration: groupConfiguration)
    }

    /// Connects and checks (``connectAndCheck(_:session:logger:)``), then registers this instance and the jobs.
    /// Every failure is a ``DaemonStartError`` with its exit code.
    static func register(
        _ configuration: DaemonConfiguration,
        session: ConfinedConnection,
        logger: Logger
    ) async throws(DaemonStartError) -> Int64 {
        do {
            try await connectAndCheck(configuration, session: session, logger: logger)
            let host = ProcessInfo.processInfo.hostName
            let pid = getpid()
            let jobs = configuration.jobs.keys.sorted().map {
                ($0, configuration.jobs[$0]?.schedule?.description ?? "manual")
            }
            return try await session.withConnection { connection in
                let store = JobStore(connection: connection)
                let instanceID = try store.registerInstance(
                    name: configuration.instanceName,
                    host: host,
                    pid: pid,
                    version: version,
                    heartbeat: configuration.heartbeat.seconds
                )
                try store.registerJobs(jobs)
                return instanceID
            }
        } catch let error as DaemonStartError {
            throw error
        } catch let error as StoreError where error.kind == .permissionDenied {
            throw DaemonStartError(
                exit: .configuration,
                description: "the daemon's login cannot use the control tables: connect as a login in the service "
                    + "group (db migrate --daemon-login)"
            )
        } catch {
            throw DaemonStartError(exit: .failure, description: "start-up failed: \(DaemonErrorText(error))")
        }
    }

    /// Runs the daemon until SIGTERM/SIGINT. Returns the exit code.
    public static func run(
        configuration: DaemonConfiguration,
        configPath: String?,
        databaseOverride: String?,
        logger: Logger
    ) async -> DaemonExit {
        let notifier = SystemdNotifier()
        notifier.status("connecting to PostgreSQL")
        let group: ServiceGroup
        do {
            group = try await buildServiceGroup(
                configuration: configuration,
                configPath: configPath,
                databaseOverride: databaseOverride,
                logger: logger,
                notifier: notifier
            )
        } catch {
            logger.critical("\(error.description)")
            return error.exit
        }
        logger.notice(
            "inclusiond ready",
            metadata: ["instance.name": "\(configuration.instanceName)", "version": "\(version)"]
        )
        notifier.ready(status: "running")
        do {
            try await group.run()
        } catch {
            logger.error("service group stopped with an error", metadata: ["error": "\(DaemonErrorText(error))"])
            return .failure
        }
        logger.notice("inclusiond stopped")
        return .ok
    }

    /// `--run-once JOB [--as-of DATE]`: runs one job in the foreground and returns (cron-style deployments, tests,
    /// backfills).
    public static func runOnce(
        job name: String,
        asOf: Day?,
        configuration: DaemonConfiguration,
        logger: Logger
    ) async -> DaemonExit {
        guard let jobType = JobCatalog.jobs[name] else {
            logger.critical("no such job", metadata: ["job": "\(name)", "known": "\(JobCatalog.jobs.keys.sorted())"])
            return .configuration
        }
        let session = DatabaseSessions.session(
            "run-once",
            conninfo: configuration.databaseURL,
            statementTimeout: configuration.statementTimeout,
            lockTimeout: configuration.lockTimeout,
            logger: logger,
            metrics: DaemonMetrics()
        )
        do {
            try await connectAndCheck(configuration, session: session, logger: logger)
        } catch let error as DaemonStartError {
            logger.critical("\(error.description)")
            await session.close()
            return error.exit
        } catch {
            logger.critical("start-up failed", metadata: ["error": "\(DaemonErrorText(error))"])
            await session.close()
            return .failure
        }
        let day = asOf ?? configuration.today()
        var logger = logger
        logger[metadataKey: "job"] = "\(name)"
        let context = JobContext(
            runID: nil,
            asOf: day,
            session: session,
            settings: configuration.jobs[name] ?? JobSettings(),
            logger: logger,
            metrics: DaemonMetrics()
        )
        let exit: DaemonExit
        do {
            try await jobType.init().run(context)
            logger.info("run-once finished", metadata: ["run.as_of": "\(day)"])
            exit = .ok
        } catch {
            logger.error("run-once failed", metadata: ["error": "\(DaemonErrorText(error))"])
            exit = .failure
        }
        // Closed before returning, not from an unstructured task that the process may never run.
        await session.close()
        return exit
    }
}
