import ArgumentParser
import Foundation
import InclusionCore
import Logging
import Postgres

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A libpq connection string or URI (default: $DATABASE_URL, then libpq's PGHOST, PGDATABASE, PGUSER …).",
            valueName: "conninfo"
        )
    )
    var database: String?

    @Flag(name: .long, help: "Print one JSON document on stdout (errors as JSON on stderr).")
    var json = false

    /// Connects as the person running the command: `--database`, then `DATABASE_URL`, then libpq's defaults.
    /// inclusionctl never reads the daemon's configuration file, so row-level security sees the real user.
    ///
    /// A connection string libpq cannot use is a configuration error (exit 78) before any connection is tried.
    /// The session then gets the command's time limits (``SessionLimits``).
    func connect(limits: SessionLimits = .standard) throws -> Connection {
        let environment = ProcessInfo.processInfo.environment["DATABASE_URL"]
        let conninfo = database ?? environment ?? ""
        try ConnectionString.check(conninfo, source: database == nil ? "DATABASE_URL" : "database")
        do {
            let connection = try Connection(conninfo: conninfo, applicationName: "inclusionctl", logger: Self.logger)
            try limits.apply(to: connection)
            return connection
        } catch {
            throw CLIFailure(error)
        }
    }

    /// Today in the trust's time zone (Europe/London). `INCLUSIONCTL_TODAY=YYYY-MM-DD` overrides it, for
    /// rehearsing a date and for tests.
    var today: Day {
        get throws {
            if let text = ProcessInfo.processInfo.environment["INCLUSIONCTL_TODAY"] {
                return try Day.parse(text, field: "INCLUSIONCTL_TODAY")
            }
            return Day(date: Date(), timeZone: TimeZone(identifier: "Europe/London") ?? .gmt)
        }
    }

    var output: Output { Output(json: json) }

    static let logger: Logger = {
        var logger = Logger(label: "inclusionctl") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["INCLUSIONCTL_DEBUG"] == nil ? .warning : .debug
        return logger
    }()
}
