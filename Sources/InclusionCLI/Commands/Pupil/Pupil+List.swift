import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl.Pupil {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List pupils on roll."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "Only this school (URN).") var school: Int?
        @Option(help: "Only this SEN status: K or E.") var sen: SENStatus?

        func run() throws {
            _ = try self.school.map { urn throws(ValidationError) in try SchoolURN.validate(urn, field: "school") }
            let connection = try global.connect()
            let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
            var pupils: [InclusionStore.Pupil] = []
            try PupilStore(connection: connection).list(school: school, sen: sen) { pupils.append($0) }
            try global.output.list(pupils) {
                global.output.table(
                    ["UPN", "NAME", "BORN", "YEAR", "SCHOOL", "SEN", "NEEDS"],
                    pupils.map {
                        [
                            $0.upn, "\($0.familyName), \($0.givenName)", $0.dateOfBirth.description, $0.yearGroup,
                            String($0.schoolURN), $0.senStatus, $0.needs.map(\.code).joined(separator: ","),
                        ]
                    }
                )
            }
        }
    }
}
