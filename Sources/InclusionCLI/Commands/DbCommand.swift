import ArgumentParser
import InclusionStore

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Set up and inspect the database schema (run by the database owner).",
        subcommands: [DbMigrate.self, DbStatus.self, DbHarden.self]
    )
}

struct DbMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations, create the group roles and the daemon's login.",
        discussion: """
            Run as the database's owner, which needs CREATEROLE. Each migration runs once, in its own transaction;
            an already-applied migration whose text has changed is refused. Two migrators cannot interleave.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The daemon's login role, created in the service group.", valueName: "name"))
    var daemonLogin = "inclusiond"

    @Option(help: ArgumentHelp("Name the group roles P_admin … P_service (default: inclusion).", valueName: "P"))
    var rolePrefix: String?

    func run() throws {
        let connection = try global.connect(limits: .migration)
        let migrator = Migrator(connection: connection)
        let applied = try migrator.migrate(rolePrefix: rolePrefix, daemonLogin: daemonLogin)
        let report = try migrator.status()
        if global.json {
            try global.output.document(MigrateResult(applied: applied, schemaVersion: report.schemaVersion))
        } else if applied.isEmpty {
            global.output.line("The schema is up to date (version \(report.schemaVersion)).")
        } else {
            for name in applied { global.output.line("applied \(name)") }
            global.output.line("The schema is at version \(report.schemaVersion).")
        }
    }

    struct MigrateResult: Encodable {
        let version = 1
        let applied: [String]
        let schemaVersion: Int

        enum CodingKeys: String, CodingKey {
            case version, applied
            case schemaVersion = "schema_version"
        }
    }
}

struct DbStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show applied and pending migrations and which daemon versions the schema serves."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report = try Migrator(connection: try global.connect()).status()
        if global.json {
            try global.output.document(report)
            return
        }
        let output = global.output
        output.line("schema version \(report.schemaVersion) (this build needs \(report.buildVersion))")
        if let from = report.servesDaemonsFrom { output.line("serves daemons built for schema \(from) and later") }
        if let prefix = report.rolePrefix { output.line("group roles: \(prefix)_admin … \(prefix)_service") }
        if report.hardened == false {
            output.line("not hardened: any login may create large objects (run `db harden` once as a superuser)")
        }
        output.table(
            ["VERSION", "MIGRATION", "STATE", "APPLIED"],
            report.migrations.map { [String($0.version), $0.name, $0.state, $0.appliedAt ?? ""] }
        )
    }
}

struct DbHarden: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harden",
        abstract: "Close what only a superuser can close in this database (run once, as a superuser).",
        discussion: """
            PostgreSQL lets every login create large objects, storage that no row policy governs. Revoking that \
            changes PostgreSQL's own functions, which only a superuser may do, so `db migrate` (run by the \
            database's owner) cannot. Idempotent; `db status` says whether it has been done.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let revoked = try Migrator(connection: try global.connect()).harden()
        if global.json {
            try global.output.document(HardenResult(revoked: revoked))
        } else {
            global.output.line("Revoked EXECUTE from PUBLIC on \(revoked.joined(separator: ", ")).")
        }
    }

    struct HardenResult: Encodable {
        let version = 1
        let revoked: [String]
    }
}
