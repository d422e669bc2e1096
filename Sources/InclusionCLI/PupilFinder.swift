import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

/// `--school URN` for the commands that find a pupil by UPN: needed only when the UPN is on roll at more than one
/// school the login can see (an admin, or a SENCO of both schools).
struct PupilSchoolOption: ParsableArguments {
    @Option(
        name: .customLong("school"),
        help: ArgumentHelp(
            "The pupil's school (URN), when the UPN is on roll at more than one school you can see.",
            valueName: "urn"
        )
    )
    var urn: Int?
}

/// How every command turns a UPN typed by a person into a pupil: one place, so that each command refuses an
/// ambiguous UPN the same way instead of picking one of two schools' records.
struct PupilFinder {
    let pupils: PupilStore
    /// The school (its id) every UPN is looked for at, when `--school` was given.
    let schoolID: Int?

    /// A finder over `connection`; `schoolURN` (from `--school`) limits it to that school, which must be visible.
    init(connection: Connection, schoolURN: Int?) throws {
        pupils = PupilStore(connection: connection)
        schoolID = try schoolURN.map { try SchoolID.find(urn: $0, connection: connection) }
    }

    /// A finder limited to one school, known by its id.
    init(connection: Connection, schoolID: Int) {
        pupils = PupilStore(connection: connection)
        self.schoolID = schoolID
    }

    /// A finder for an intervention's group members: at the intervention's school alone, so a UPN also on roll at
    /// another school the login can see is not ambiguous there.
    static func forIntervention(_ id: Int64, connection: Connection) throws -> PupilFinder {
        let urn = try InterventionStore(connection: connection).show(intervention: id).schoolURN
        return PupilFinder(connection: connection, schoolID: try SchoolID.find(urn: urn, connection: connection))
    }

    /// The pupil with this UPN. Problems are reported about `field` (`upn`, or the flag the UPN came from).
    ///
    /// - Throws: a ``ValidationError`` for a malformed UPN; a ``StoreError`` when no pupil with it is visible
    ///   (exit 66) or it is on roll at more than one visible school and `--school` was not given (exit 65).
    func find(_ text: String, field: String = "upn") throws -> PupilRef {
        let upn: UPN
        do throws(ValidationError) {
            upn = try UPN(text)
        } catch {
            throw error.about(field: field)
        }
        do {
            return try pupils.resolve(upn: upn, school: schoolID)
        } catch {
            guard error.field == "upn", field != "upn" else { throw error }
            throw StoreError(error.kind, field: field, error.message)
        }
    }
}

/// Schools named by URN on the command line.
enum SchoolID {
    /// The id of a school the caller can see, after checking that `urn` can be a URN at all (so a mistyped number
    /// is named as `field` rather than meeting PostgreSQL's integer range).
    static func find(urn: Int, field: String = "school", connection: Connection) throws -> Int {
        let urn = try SchoolURN.validate(urn, field: field)
        do {
            return try SchoolStore(connection: connection).id(urn: urn)
        } catch {
            guard error.field == "school", field != "school" else { throw error }
            throw StoreError(error.kind, field: field, error.message)
        }
    }
}
