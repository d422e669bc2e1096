import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl.Pupil {
    struct Need: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "need",
            abstract: "Record a pupil's primary (and secondary) need, by census code.",
            discussion: """
                Codes: SPLD MLD SLD PMLD SEMH SLCN HI VI MSI PD ASD OTH DS, and NSA (SEN support only).

                Example:
                  inclusionctl pupil need A123456789012 --primary SPLD --secondary SEMH
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The pupil's UPN.") var upn: String
        @OptionGroup var school: PupilSchoolOption
        @Option(help: "The primary need's census code.") var primary: NeedCode
        @Option(help: "The secondary need's census code.") var secondary: NeedCode?

        func run() throws {
            if secondary == primary {
                throw ValidationError(field: "secondary", message: "the secondary need must differ from the primary")
            }
            _ = try UPN(upn)
            let connection = try global.connect()
            let pupil = try PupilFinder(connection: connection, schoolURN: school.urn).find(upn)
            try NeedCode.validate(primary, status: pupil.senStatus, field: "primary")
            if let secondary { try NeedCode.validate(secondary, status: pupil.senStatus, field: "secondary") }
            try PupilStore(connection: connection).setNeeds(pupil, primary: primary, secondary: secondary)
            try global.output.changed(id: pupil.id, "Recorded needs for \(pupil.upn).")
        }
    }
}
