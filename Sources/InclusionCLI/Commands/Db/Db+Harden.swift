import ArgumentParser
import InclusionStore

extension Inclusionctl.Db {
    struct Harden: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "harden",
            abstract: "Close what only a superuser can close in this database (run once, as a superuser).",
            discussion: """
                PostgreSQL lets every login create large objects, storage that no row policy governs. Revoking that \
                changes PostgreSQL's own functions, which only a superuser may do, so `db migrate` (run by the \
                database's owner) cannot. Idempotent; `db status` says whether it has been done.

                Example:
                  inclusionctl --database "dbname=inclusion user=postgres" db harden
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

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
}
