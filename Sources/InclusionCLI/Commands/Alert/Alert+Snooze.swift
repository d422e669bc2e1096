import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Alert {
    struct Snooze: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snooze",
            abstract: "Snooze an alert until a day (within a year); the sweep on that day opens it again.",
            discussion: """
                Example:
                  inclusionctl alert snooze 42 --until 2026-12-14
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The alert's number.") var id: Int64
        @Option(help: ArgumentHelp("The day it opens again (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date"))
        var until: String

        func run() throws {
            let day = try Day.parse(until, field: "until")
            try AlertStore(connection: try global.connect()).act(id, .snooze, until: day)
            try global.output.changed(id: id, "Snoozed alert \(id) until \(day).")
        }
    }
}
