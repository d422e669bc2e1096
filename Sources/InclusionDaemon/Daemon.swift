import Foundation
import InclusionCore
import InclusionStore
public import Logging
import Postgres
import ServiceLifecycle
import UnixSignals

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

    /// Connects, retrying with capped exponential backoff until `startTimeout` (then exit 69); refuses a superuser,
    /// a BYPASSRLS role or the schema owner (unless allowed, loudly) and a schema this build cannot use (exit 78).
    public static func connectAndCheck(_ configuration: DaemonConfiguration, logger: Logger) async throws -> Connection
    {
        let deadline = ContinuousClock.now + configuration.startTimeout.duration
        var wait = 0.1
        var lastError = ""
        var connection: Connection?
        while connection == nil {
            do {
                connection = try Connection(
                    conninfo: configuration.databaseURL,
                    applicationName: "inclusiond",
                    logger: logger
                )
            } catch {
                lastError = error.serverMessage ?? error.description
                if ContinuousClock.now >= deadline {
                    throw DaemonStartError(
                        exit: .unavailable,
                        description: "PostgreSQL was unreachable for \(configuration.startTimeout): \(lastError)"
                    )
                }
                logger.notice(
                    "waiting for PostgreSQL",
                    metadata: ["retry.seconds": "\(wait)", "error": "\(lastError)"]
                )
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
                wait = min(5, wait * 2)
            }
        }
        guard let connection else { throw DaemonStartError(exit: .unavailable, description: lastError) }
        try DatabaseSession.applyTimeouts(
            connection,
            statement: configuration.statementTimeout,
            lock: configuration.lockTimeout
        )
        try checkRole(connection, configuration: configuration, logger: logger)
        try checkSchema(connection)
        return connection
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

    /// Runs the daemon until SIGTERM/SIGINT. Returns the exit code.
    public static func run(
        configuration: DaemonConfiguration,
        configPath: String?,
        databaseOverride: String?,
        logger: Logger
    ) async -> DaemonExit {
        let notifier = SystemdNotifier()
        let metrics = DaemonMetrics()
        notifier.status("connecting to PostgreSQL")
        let instanceID: Int64
        do {
            let connection = try await connectAndCheck(configuration, logger: logger)
            defer { connection.close() }
            let store = JobStore(connection: connection)
            instanceID = try store.registerInstance(
                name: configuration.instanceName,
                host: ProcessInfo.processInfo.hostName,
                pid: getpid(),
                version: version,
                heartbeat: configuration.heartbeat.seconds
            )
            try store.registerJobs(
                configuration.jobs.keys.sorted().map { ($0, configuration.jobs[$0]?.schedule?.description ?? "manual") }
            )
        } catch let error as DaemonStartError {
            logger.critical("\(error.description)")
            return error.exit
        } catch let error as StoreError where error.kind == .permissionDenied {
            logger.critical(
                "the daemon's login cannot use the control tables: connect as a login in the service group (db migrate --daemon-login)"
            )
            return .configuration
        } catch {
            logger.critical("start-up failed", metadata: ["error": "\(DaemonErrorText(error))"])
            return .failure
        }
        for key in configuration.ignored {
            logger.warning(
                "configuration key ignored: not available in this version",
                metadata: ["config.key": "\(key)"]
            )
        }

        var logger = logger
        logger[metadataKey: "instance.id"] = "\(instanceID)"
        let state = DaemonState(
            configuration: configuration,
            instanceID: instanceID,
            configPath: configPath,
            databaseOverride: databaseOverride
        )
        func session(_ purpose: String) -> DatabaseSession {
            DatabaseSession(
                conninfo: configuration.databaseURL,
                purpose: purpose,
                statementTimeout: configuration.statementTimeout,
                lockTimeout: configuration.lockTimeout,
                logger: logger,
                metrics: metrics
            )
        }
        let sessions = ["heartbeat", "control", "scheduler", "runner", "jobs", "reload"].map(session)
        var services: [any Service] = []
        if let listen = configuration.httpListen {
            services.append(
                HealthServer(host: listen.host, port: listen.port, state: state, metrics: metrics, logger: logger)
            )
        }
        services += [
            HeartbeatService(session: sessions[0], state: state, logger: logger),
            ControlListener(session: sessions[1], state: state, metrics: metrics, logger: logger),
            ReloadService(session: sessions[5], state: state, notifier: notifier, metrics: metrics, logger: logger),
            SchedulerService(session: sessions[2], state: state, notifier: notifier, metrics: metrics, logger: logger),
            JobRunnerService(
                session: sessions[3],
                jobSession: sessions[4],
                state: state,
                metrics: metrics,
                logger: logger
            ),
            StoppingNotifier(notifier: notifier),
        ]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace.duration + .seconds(15)
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.notice(
            "inclusiond ready",
            metadata: ["instance.name": "\(configuration.instanceName)", "version": "\(version)"]
        )
        notifier.ready(status: "running")
        var exit = DaemonExit.ok
        do {
            try await group.run()
        } catch {
            logger.error("service group stopped with an error", metadata: ["error": "\(DaemonErrorText(error))"])
            exit = .failure
        }
        do {
            try await sessions[0].run { try JobStore(connection: $0).stopInstance(instanceID) }
        } catch {
            logger.warning("could not record the instance's stop", metadata: ["error": "\(DaemonErrorText(error))"])
        }
        for session in sessions { await session.close() }
        logger.notice("inclusiond stopped")
        return exit
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
        do {
            let connection = try await connectAndCheck(configuration, logger: logger)
            connection.close()
        } catch let error as DaemonStartError {
            logger.critical("\(error.description)")
            return error.exit
        } catch {
            logger.critical("start-up failed", metadata: ["error": "\(DaemonErrorText(error))"])
            return .failure
        }
        let session = DatabaseSession(
            conninfo: configuration.databaseURL,
            purpose: "run-once",
            statementTimeout: configuration.statementTimeout,
            lockTimeout: configuration.lockTimeout,
            logger: logger,
            metrics: DaemonMetrics()
        )
        let day = asOf ?? JobRunnerService.today(in: configuration.timeZone)
        var logger = logger
        logger[metadataKey: "job"] = "\(name)"
        let context = JobContext(
            runID: nil,
            asOf: day,
            session: session,
            settings: configuration.jobs[name] ?? JobSettings(),
            logger: logger
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
