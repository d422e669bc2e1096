import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl.Pupil {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change a pupil's details. Setting --sen N removes their recorded needs.",
            discussion: """
                Example:
                  inclusionctl pupil set A123456789012 --sen K --pupil-premium
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The pupil's UPN.") var upn: String
        @OptionGroup var school: PupilSchoolOption
        @OptionGroup var options: PupilFieldOptions

        func run() throws {
            let today = try global.today
            let upn = try UPN(self.upn)
            let fields = try options.fields(today: today)
            let connection = try global.connect()
            let pupil = try PupilFinder(connection: connection, schoolURN: school.urn).find(upn.text)
            try PupilFieldOptions.checkKeyWorker(fields, school: pupil.schoolID, connection: connection)
            PupilFieldOptions.warnAboutYearGroup(fields, existing: pupil.dateOfBirth, today: today)
            try PupilStore(connection: connection).update(pupil, fields: fields, today: today)
            try global.output.changed(id: pupil.id, "Updated pupil \(upn).")
        }
    }
}
