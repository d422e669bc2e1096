import ArgumentParser
import InclusionStore

extension Inclusionctl.Db {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show applied and pending migrations and which daemon versions the schema serves."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

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
                report.migrations.map { [String($0.version), $0.name, $0.state.rawValue, $0.appliedAt ?? ""] }
            )
        }
    }
}
