import ArgumentParser
import InclusionStore

extension Inclusionctl.Alert {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one alert with its history: who did what, when and why."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The alert's number.") var id: Int64

        func run() throws {
            let alert = try AlertStore(connection: try global.connect()).show(id)
            if global.json {
                try global.output.document(Versioned(alert))
                return
            }
            let output = global.output
            output.line("alert \(alert.id): \(alert.rule) (\(alert.severity), \(alert.state))")
            output.line(
                "school \(alert.schoolURN)\(alert.upn.map { ", pupil \($0)" } ?? ""), \(alert.subjectType) \(alert.subjectID)"
            )
            output.line("due \(alert.dueOn); raised \(alert.raisedAt)")
            if let until = alert.snoozedUntil { output.line("snoozed until \(until)") }
            output.table(
                ["AT", "WHO", "WHAT", "SEVERITY", "WHY"],
                (alert.history ?? []).map { [$0.at, $0.actor, $0.action, $0.severity, $0.reason ?? ""] }
            )
        }
    }
}
