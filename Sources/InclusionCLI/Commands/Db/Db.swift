import ArgumentParser
import InclusionStore

extension Inclusionctl {
    struct Db: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db",
            abstract: "Set up and inspect the database schema (run by the database owner).",
            subcommands: [Migrate.self, Status.self, Harden.self]
        )
    }
}
