import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

struct PupilCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pupil",
        abstract: "Add, change, import and look up pupils and their special educational needs.",
        subcommands: [PupilAdd.self, PupilSet.self, PupilImport.self, PupilShow.self, PupilList.self, PupilNeed.self]
    )
}

/// The options `pupil add` and `pupil set` share.
struct PupilFieldOptions: ParsableArguments {
    @Option(help: "Given name.") var given: String?
    @Option(help: "Family name.") var family: String?
    @Option(help: "Date of birth (YYYY-MM-DD or DD/MM/YYYY).") var dob: String?
    @Option(help: "National curriculum year: N1, N2, R, 1 … 14.") var year: String?
    @Option(help: "SEN status: N (none), K (SEN support), E (EHC plan).") var sen: String?
    @Flag(inversion: .prefixedNo, help: "Speaks English as an additional language.") var eal: Bool?
    @Flag(inversion: .prefixedNo, help: "Eligible for pupil premium.") var pupilPremium: Bool?
    @Flag(inversion: .prefixedNo, help: "Looked-after child.") var lookedAfter: Bool?
    @Flag(inversion: .prefixedNo, help: "Young carer.") var youngCarer: Bool?
    @Flag(inversion: .prefixedNo, help: "Attendance is a concern.") var attendanceConcern: Bool?
    @Option(help: "Login of the pupil's key worker.") var keyWorker: String?

    func fields(today: Day) throws -> PupilFields {
        var fields = PupilFields()
        fields.givenName = try given.map { text throws(ValidationError) in
            try TextField.validate(text, field: "given", maxLength: 100)
        }
        fields.familyName = try family.map { text throws(ValidationError) in
            try TextField.validate(text, field: "family", maxLength: 100)
        }
        if let dob {
            let day = try Day.parse(dob, field: "dob")
            guard day <= today else {
                throw ValidationError(field: "dob", message: "the date of birth is in the future")
            }
            fields.dateOfBirth = day
        }
        fields.yearGroup = try year.map { text throws(ValidationError) in try YearGroup.parse(text, field: "year") }
        fields.senStatus = try sen.map { text throws(ValidationError) in try SENStatus.parse(text, field: "sen") }
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

struct PupilAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a pupil to a school.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The school's URN.") var school: Int
    @Option(help: "Unique Pupil Number (13 characters).") var upn: String
    @OptionGroup var options: PupilFieldOptions

    func validate() throws {
        for (value, flag) in [
            (options.given, "--given"), (options.family, "--family"), (options.dob, "--dob"),
            (options.year, "--year"),
        ] where value == nil {
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

struct PupilSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a pupil's details. Setting --sen N removes their recorded needs."
    )

    @OptionGroup var global: GlobalOptions
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

struct PupilShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a pupil's whole record (the read is recorded in the audit trail)."
    )

    @OptionGroup var global: GlobalOptions
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

struct PupilList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pupils on roll.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this school (URN).") var school: Int?
    @Option(help: "Only this SEN status: K or E.") var sen: String?

    func run() throws {
        let sen = try sen.map { text throws(ValidationError) in try SENStatus.parse(text, field: "sen") }
        _ = try self.school.map { urn throws(ValidationError) in try SchoolURN.validate(urn, field: "school") }
        let connection = try global.connect()
        let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
        var pupils: [Pupil] = []
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

struct PupilNeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "need",
        abstract: "Record a pupil's primary (and secondary) need, by census code.",
        discussion: "Codes: SPLD MLD SLD PMLD SEMH SLCN HI VI MSI PD ASD OTH DS, and NSA (SEN support only)."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pupil's UPN.") var upn: String
    @OptionGroup var school: PupilSchoolOption
    @Option(help: "The primary need's code.") var primary: String
    @Option(help: "The secondary need's code.") var secondary: String?

    func run() throws {
        let primary = try NeedCode.parse(self.primary, field: "primary")
        let secondary = try self.secondary.map { text throws(ValidationError) in
            try NeedCode.parse(text, field: "secondary")
        }
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

/// Wraps a record so its JSON document carries `"version": 1` beside the record's own fields.
struct Versioned<T: Encodable>: Encodable {
    let value: T

    init(_ value: T) { self.value = value }

    enum CodingKeys: String, CodingKey { case version }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .version)
    }
}
