import ArgumentParser
import InclusionStore

extension Inclusionctl.Db {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply pending migrations, create the group roles and the daemon's login.",
            discussion: """
                Run as the database's owner, which needs CREATEROLE. Each migration runs once, in its own transaction; \
                an already-applied migration whose text has changed is refused. Two migrators cannot interleave.

                Example:
                  inclusionctl --database "dbname=inclusion user=inclusion_owner" db migrate \\
                      --daemon-login inclusiond
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

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
}
