import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Intervention {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List interventions you can see, with sessions delivered and missed."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "Only this school (URN).") var school: Int?
        @Flag(help: "Only interventions not yet ended.") var active = false

        func run() throws {
            let connection = try global.connect()
            let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
            let interventions = try InterventionStore(connection: connection).list(school: school, activeOnly: active)
            try global.output.list(interventions) {
                global.output.table(
                    [
                        "ID", "SCHOOL", "NAME", "AREA", "PUPILS", "STARTS", "ENDS", "DELIVERED", "MISSED", "LAST",
                        "ENDED",
                    ],
                    interventions.map {
                        [
                            String($0.id), String($0.schoolURN), $0.name, $0.area.rawValue,
                            $0.upns.joined(separator: ","),
                            $0.starts.description, $0.ends.description, String($0.delivered), String($0.missed),
                            $0.lastDeliveredOn?.description ?? "-", $0.endedOn?.description ?? "-",
                        ]
                    }
                )
            }
        }
    }
}
