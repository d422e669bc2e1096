import ArgumentParser
import InclusionStore

extension Inclusionctl {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Check the audit trail (admins).",
            subcommands: [Verify.self]
        )
    }
}
