import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl.Pupil {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a pupil to a school.",
            discussion: """
                Example:
                  inclusionctl pupil add --school 100101 --upn A123456789012 --given Amara \\
                      --family Smith --dob 2017-09-01 --year 3 --sen K
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The school's URN.") var school: Int
        @Option(help: "Unique Pupil Number (13 characters).") var upn: String
        @OptionGroup var options: PupilFieldOptions

        func validate() throws {
            for (missing, flag) in [
                (options.given == nil, "--given"), (options.family == nil, "--family"), (options.dob == nil, "--dob"),
                (options.year == nil, "--year"),
            ] where missing {
                throw ArgumentParser.ValidationError("\(flag) is required to add a pupil")
            }
        }

        func run() throws {
            let today = try global.today
            _ = try SchoolURN.validate(self.school, field: "school")
            let upn = try UPN(self.upn)
            let fields = try options.fields(today: today)
            PupilFieldOptions.warnAboutYearGroup(fields, today: today)
            let connection = try global.connect()
            let school = try SchoolID.find(urn: self.school, connection: connection)
            try PupilFieldOptions.checkKeyWorker(fields, school: school, connection: connection)
            let id = try PupilStore(connection: connection).add(school: school, upn: upn, fields: fields, today: today)
            try global.output.created(id: id, "Added pupil \(upn) (id \(id)) to school \(self.school).")
        }
    }
}
