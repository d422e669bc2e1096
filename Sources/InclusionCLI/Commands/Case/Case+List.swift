import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Case {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List cases you can see, newest first."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "Only this school (URN).") var school: Int?
        @Flag(help: "Only cases that are not closed.") var open = false

        func run() throws {
            let connection = try global.connect()
            let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
            let cases = try CaseStore(connection: connection).list(school: school, openOnly: open)
            try global.output.list(cases) {
                global.output.table(
                    ["ID", "UPN", "SCHOOL", "CATEGORY", "STATE", "OPENED", "LAST NOTE", "SUMMARY"],
                    cases.map {
                        [
                            String($0.id), $0.upn, String($0.schoolURN), $0.category.rawValue, $0.state.rawValue,
                            $0.openedOn.description, $0.lastNoteOn?.description ?? "-", oneLine($0.summary),
                        ]
                    }
                )
            }
        }
    }
}
