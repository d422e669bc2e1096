import ArgumentParser
import Foundation
import InclusionCore
import InclusionDaemon
import Logging

/// `inclusiond`: keeps SEN support reviews and interventions from lapsing. See `inclusiond --help`.
@main
struct Inclusiond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusiond",
        abstract: "The inclusion daemon: scheduled review sweeps and alerts, exactly once across instances.",
        discussion: """
            Exit codes: 0 clean stop; 69 database unreachable for database.start-timeout; 78 configuration error,
            a superuser, BYPASSRLS role or the schema owner, or a schema older than this daemon needs.
            """,
        version: Daemon.version
    )

    @Option(help: ArgumentHelp("The configuration file.", valueName: "path"))
    var config: String?

    @Option(
        help: ArgumentHelp(
            "A libpq connection string or URI (overrides DATABASE_URL and the file).",
            valueName: "conninfo"
        )
    )
    var database: String?

    @Flag(help: "Validate the configuration (naming unknown keys) and exit 0 or 78.")
    var checkConfig = false

    @Option(help: ArgumentHelp("Run one job in the foreground and exit.", valueName: "job"))
    var runOnce: String?

    @Option(help: ArgumentHelp("With --run-once: evaluate as of this day (YYYY-MM-DD).", valueName: "date"))
    var asOf: String?

    func run() async throws {
        let level = ProcessInfo.processInfo.environment["INCLUSIOND_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level ?? .info) }
        var logger = Logger(label: "inclusiond")
        let configuration: DaemonConfiguration
        do {
            configuration = try await DaemonConfiguration.load(path: config, database: database)
        } catch let errors as ConfigurationErrors {
            for error in errors.errors {
                logger.critical(
                    "configuration error",
                    metadata: ["config.key": "\(error.key)", "problem": "\(error.problem)"]
                )
                if checkConfig { FileHandle.standardOutput.write(Data("\(error.key): \(error.problem)\n".utf8)) }
            }
            throw ExitCode(DaemonExit.configuration.rawValue)
        } catch {
            logger.critical("configuration error", metadata: ["problem": "\(error)"])
            throw ExitCode(DaemonExit.configuration.rawValue)
        }
        logger.logLevel = level ?? configuration.logLevel
        if checkConfig {
            for key in configuration.ignored {
                FileHandle.standardOutput.write(Data("\(key): not available in this version; ignored\n".utf8))
            }
            FileHandle.standardOutput.write(Data("configuration OK\n".utf8))
            return
        }
        if let job = runOnce {
            var day: Day?
            if let asOf {
                do { day = try Day.parse(asOf, field: "as-of") } catch {
                    throw ValidationError("--as-of: \(error.message)")
                }
            }
            let exit = await Daemon.runOnce(job: job, asOf: day, configuration: configuration, logger: logger)
            if exit != .ok { throw ExitCode(exit.rawValue) }
            return
        }
        let exit = await Daemon.run(
            configuration: configuration,
            configPath: config,
            databaseOverride: database,
            logger: logger
        )
        if exit != .ok { throw ExitCode(exit.rawValue) }
    }
}
