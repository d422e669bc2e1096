import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Intervention {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show an intervention: its group, dates, cost, measures and delivery so far."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The intervention number (see `intervention list`).", valueName: "id")) var id:
            Int64

        func run() throws {
            let found = try InterventionStore(connection: try global.connect()).show(intervention: id)
            if global.json {
                try global.output.document(Versioned(found))
                return
            }
            let output = global.output
            let perWeek = found.perWeek == found.perWeek.rounded() ? String(Int(found.perWeek)) : String(found.perWeek)
            output.line("intervention \(found.id): \(found.name) (\(found.area)) at school \(found.schoolURN)")
            output.line(
                "\(found.starts) to \(found.ends)" + (found.endedOn.map { ", ended \($0)" } ?? "")
                    + "; \(perWeek) a week, \(found.minutes) minutes"
                    + (found.costPerSession.map { ", \($0) a session" } ?? "")
            )
            if let plan = found.plan { output.line("delivers plan \(plan)") }
            output.line("baseline \(found.baseline ?? "-"), target \(found.target ?? "-")")
            output.line(
                "sessions: \(found.delivered) delivered, \(found.missed) missed, last delivered "
                    + (found.lastDeliveredOn?.description ?? "-")
            )
            for member in found.pupils {
                output.line("  \(member.upn)" + (member.exitScore.map { "  exit score \($0)" } ?? ""))
            }
        }
    }
}
