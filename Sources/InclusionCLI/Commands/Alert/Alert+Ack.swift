import ArgumentParser
import InclusionStore

extension Inclusionctl.Alert {
    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge an alert: you have seen it and are on it (it no longer escalates).",
            discussion: """
                Example:
                  inclusionctl alert ack 42 --note "Meeting booked for Tuesday"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The alert's number.") var id: Int64
        @Option(help: "Why, or what happens next (kept in the alert's history).") var note: String?

        func run() throws {
            try AlertStore(connection: try global.connect()).act(id, .acknowledge, reason: note)
            try global.output.changed(id: id, "Acknowledged alert \(id).")
        }
    }
}
