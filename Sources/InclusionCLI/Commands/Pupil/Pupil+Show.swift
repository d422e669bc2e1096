import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl.Pupil {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a pupil's whole record (the read is recorded in the audit trail)."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The pupil's UPN.") var upn: String
        @OptionGroup var school: PupilSchoolOption

        func run() throws {
            _ = try UPN(upn)
            let connection = try global.connect()
            let found = try PupilFinder(connection: connection, schoolURN: school.urn).find(upn)
            let pupil = try PupilStore(connection: connection).show(found)
            if global.json {
                try global.output.document(Versioned(pupil))
                return
            }
            let output = global.output
            output.line("\(pupil.givenName) \(pupil.familyName)  UPN \(pupil.upn)  school \(pupil.schoolURN)")
            output.line(
                "born \(pupil.dateOfBirth), year \(pupil.yearGroup) in \(pupil.academicYear)/\((pupil.academicYear + 1) % 100)"
            )
            let status = SENStatus(rawValue: pupil.senStatus).map(\.description) ?? pupil.senStatus
            output.line("SEN: \(pupil.senStatus) (\(status))")
            if !pupil.needs.isEmpty {
                output.line("needs: " + pupil.needs.map { "\($0.code) (\($0.rank))" }.joined(separator: ", "))
            }
            let barriers = [
                (pupil.eal, "EAL"), (pupil.pupilPremium, "pupil premium"), (pupil.lookedAfter, "looked after"),
                (pupil.youngCarer, "young carer"), (pupil.attendanceConcern, "attendance concern"),
            ].filter(\.0).map(\.1)
            if !barriers.isEmpty { output.line("barriers: " + barriers.joined(separator: ", ")) }
            if let keyWorker = pupil.keyWorker { output.line("key worker: \(keyWorker)") }
            if let left = pupil.leftOn { output.line("left on \(left)") }
        }
    }
}
