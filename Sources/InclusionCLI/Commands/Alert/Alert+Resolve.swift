import ArgumentParser
import InclusionStore

extension Inclusionctl.Alert {
    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "Resolve an alert by hand, saying why (the sweep resolves alerts itself when the lapse clears).",
            discussion: """
                Example:
                  inclusionctl alert resolve 42 --reason "Review held; the record was late"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The alert's number.") var id: Int64
        @Option(help: "Why it is resolved (kept in the alert's history).") var reason: String

        func run() throws {
            try AlertStore(connection: try global.connect()).act(id, .resolve, reason: reason)
            try global.output.changed(id: id, "Resolved alert \(id).")
        }
    }
}
