import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

/// The options `pupil add` and `pupil set` share.
struct PupilFieldOptions: ParsableArguments {
    @Option(help: "Given name.") var given: String?
    @Option(help: "Family name.") var family: String?
    @Option(help: "Date of birth (YYYY-MM-DD or DD/MM/YYYY).") var dob: String?
    @Option(help: "National curriculum year (N1 and N2 are nursery, R reception).") var year: YearGroup?
    @Option(help: "SEN status: N (none), K (SEN support), E (EHC plan).") var sen: SENStatus?
    @Flag(inversion: .prefixedNo, help: "Speaks English as an additional language.") var eal: Bool?
    @Flag(inversion: .prefixedNo, help: "Eligible for pupil premium.") var pupilPremium: Bool?
    @Flag(inversion: .prefixedNo, help: "Looked-after child.") var lookedAfter: Bool?
    @Flag(inversion: .prefixedNo, help: "Young carer.") var youngCarer: Bool?
    @Flag(inversion: .prefixedNo, help: "Attendance is a concern.") var attendanceConcern: Bool?
    @Option(help: "Login of the pupil's key worker.") var keyWorker: String?

    func fields(today: Day) throws -> PupilFields {
        var fields = PupilFields()
        // The same rules as `pupil import` (PupilFields in InclusionCore).
        fields.givenName = try given.map { text throws(ValidationError) in try PupilFields.name(text, field: "given") }
        fields.familyName = try family.map { text throws(ValidationError) in
            try PupilFields.name(text, field: "family")
        }
        fields.dateOfBirth = try dob.map { text throws(ValidationError) in
            try PupilFields.dateOfBirth(text, field: "dob", today: today)
        }
        fields.yearGroup = year
        fields.senStatus = sen
        fields.eal = eal
        fields.pupilPremium = pupilPremium
        fields.lookedAfter = lookedAfter
        fields.youngCarer = youngCarer
        fields.attendanceConcern = attendanceConcern
        fields.keyWorker = try keyWorker.map { text throws(ValidationError) in
            try LoginName.validate(text, field: "key-worker")
        }
        return fields
    }

    /// Refuses a key worker who is not an enabled member of staff (at the pupil's school, where the caller may see
    /// that): a login typed wrong would otherwise be stored as a name nobody has.
    static func checkKeyWorker(_ fields: PupilFields, school: Int, connection: Connection) throws {
        guard let keyWorker = fields.keyWorker else { return }
        try StaffStore(connection: connection).checkKeyWorker(keyWorker, school: school)
    }

    /// Warns (on stderr) when the year group does not match the date of birth; the census check lists it later.
    static func warnAboutYearGroup(_ fields: PupilFields, existing: Day? = nil, today: Day) {
        guard let year = fields.yearGroup, let dob = fields.dateOfBirth ?? existing else { return }
        if let warning = year.check(dateOfBirth: dob, academicYear: AcademicYear(containing: today)) {
            Output.warn(warning)
        }
    }
}
