/// One valid row of a `pupil import` file: the pupil's record as the school's MIS exported it.
///
/// Parsing is pure: "today" is a parameter, used to reject impossible dates of birth and to choose the academic
/// year for the year-group check.
public struct PupilImportRow: Hashable, Sendable {
    /// The physical line the row starts on (the header is line 1).
    public var line: Int
    /// The pupil's UPN.
    public var upn: UPN
    /// The given name, without surrounding whitespace (MIS exports often pad cells); inner text is kept exactly.
    public var givenName: String
    /// The family name, without surrounding whitespace; inner text is kept exactly.
    public var familyName: String
    /// The date of birth; not after the import's "today" and at most ``maxAgeYears`` before it.
    public var dateOfBirth: Day
    /// The recorded year group (which may differ from the expected one: see ``warning``).
    public var yearGroup: YearGroup
    /// The SEN status; an empty cell means N.
    public var senStatus: SENStatus
    /// The primary need, if recorded.
    public var primaryNeed: NeedCode?
    /// The secondary need, if recorded; only with a primary need, and different from it.
    public var secondaryNeed: NeedCode?
    /// English as an additional language.
    public var eal: Bool
    /// Eligible for the pupil premium.
    public var pupilPremium: Bool
    /// Looked after by a local authority.
    public var lookedAfter: Bool
    /// A young carer.
    public var youngCarer: Bool
    /// Set when the year group is not the one the date of birth implies; the row is still accepted.
    public var warning: String?

    /// A row with these values, as ``parse(_:header:today:)`` builds it; the values are not checked again.
    public init(
        line: Int,
        upn: UPN,
        givenName: String,
        familyName: String,
        dateOfBirth: Day,
        yearGroup: YearGroup,
        senStatus: SENStatus,
        primaryNeed: NeedCode?,
        secondaryNeed: NeedCode?,
        eal: Bool = false,
        pupilPremium: Bool = false,
        lookedAfter: Bool = false,
        youngCarer: Bool = false,
        warning: String? = nil
    ) {
        self.line = line
        self.upn = upn
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.yearGroup = yearGroup
        self.senStatus = senStatus
        self.primaryNeed = primaryNeed
        self.secondaryNeed = secondaryNeed
        self.eal = eal
        self.pupilPremium = pupilPremium
        self.lookedAfter = lookedAfter
        self.youngCarer = youngCarer
        self.warning = warning
    }

    /// True when a header line read as UTF-8 shows the marks of UTF-16 (or UTF-32): a byte order mark FF FE or FE FF
    /// (each byte invalid in UTF-8, so read as U+FFFD), or NUL bytes, which UTF-16 puts beside every ASCII letter
    /// and which no CSV header holds.
    static func looksLikeUTF16(_ fields: [String]) -> Bool {
        if fields.first?.unicodeScalars.starts(with: ["\u{FFFD}", "\u{FFFD}"]) == true {
            return true
        }
        return fields.contains { $0.utf8.contains(0) }
    }

    /// The longest given or family name accepted (``PupilFields/maxNameLength``).
    public static var maxNameLength: Int { PupilFields.maxNameLength }
    /// The oldest a pupil's date of birth may be, in years before today (``PupilFields/maxAgeYears``).
    public static var maxAgeYears: Int { PupilFields.maxAgeYears }

    /// Maps a header row to columns. Names are matched ignoring case and surrounding whitespace; the order is free.
    ///
    /// - Throws: a ``ValidationError`` (field `header`, at `line`) naming unknown, repeated and missing columns.
    ///   When no column at all is recognised the first line is probably a pupil's data, so the error does not
    ///   repeat it. A file saved as UTF-16 (Excel's "Unicode Text", some MIS exports) is named as such (field
    ///   `file`), with how to save it as UTF-8.
    public static func header(_ fields: [String], line: Int = 1) throws(ValidationError) -> PupilImportHeader {
        if looksLikeUTF16(fields) {
            throw ValidationError(
                field: "file",
                message: "looks like UTF-16 text, not UTF-8 (it starts with a UTF-16 byte order mark or has NUL "
                    + "bytes between the letters); save it as CSV UTF-8 (in Excel: Save As, CSV UTF-8) and import "
                    + "it again",
                line: line
            )
        }
        let names = fields.map { $0.trimmingWhitespace().lowercased() }
        let known = names.map { PupilImportColumn(rawValue: $0) }
        let expected =
            "the columns are " + PupilImportColumn.required.map(\.rawValue).joined(separator: ",")
            + ", then optionally " + PupilImportColumn.optional.map(\.rawValue).joined(separator: ",")
        guard known.contains(where: { $0 != nil }) else {
            throw ValidationError(
                field: "header",
                message: "the first line is not a header (it names none of the expected columns); add a header "
                    + "line: \(expected)",
                line: line
            )
        }
        var problems: [String] = []
        let unknown = zip(names, known).filter { $0.1 == nil }.map { $0.0.isEmpty ? "(a column with no name)" : $0.0 }
        if !unknown.isEmpty {
            problems.append("unknown column\(unknown.count == 1 ? "" : "s") " + unknown.joined(separator: ", "))
        }
        let columns = known.compactMap { $0 }
        let repeated = PupilImportColumn.allCases.filter { column in columns.count(where: { $0 == column }) > 1 }
        if !repeated.isEmpty {
            problems.append(
                "repeated column\(repeated.count == 1 ? "" : "s") " + repeated.map(\.rawValue).joined(separator: ", ")
            )
        }
        let missing = PupilImportColumn.required.filter { !columns.contains($0) }
        if !missing.isEmpty {
            problems.append(
                "missing required column\(missing.count == 1 ? "" : "s") "
                    + missing.map(\.rawValue).joined(separator: ", ")
            )
        }
        guard problems.isEmpty else {
            throw ValidationError(
                field: "header",
                message: problems.joined(separator: "; ") + "; \(expected)",
                line: line
            )
        }
        return PupilImportHeader(columns: columns)
    }

    /// Parses one record into a row, or returns every problem in it (each at the record's line, named by its
    /// column), so a person can fix a whole row at once.
    ///
    /// Beyond each field's own format: the date of birth may not be after `today` nor more than ``maxAgeYears``
    /// years before it; an empty SEN status means N; a need needs status K or E, and NSA only K; a secondary need
    /// needs a primary need and must differ from it. K or E with no need yet is accepted (an assessment may be
    /// under way; the census check reports it). A year group that does not match the date of birth for the
    /// academic year containing `today` is accepted with a ``warning``.
    public static func parse(
        _ record: CSVRecord,
        header: PupilImportHeader,
        today: Day
    ) -> Result<PupilImportRow, ValidationErrors> {
        let line = record.line
        guard record.fields.count == header.fieldCount else {
            let count = record.fields.count
            let error = ValidationError(
                field: "row",
                message: "has \(count) field\(count == 1 ? "" : "s") but the header has \(header.fieldCount) "
                    + "columns; check for a missing or extra comma (text containing a comma must be in double quotes)",
                line: line
            )
            return .failure(ValidationErrors([error]))
        }
        var errors: [ValidationError] = []
        var unreadableIndex: Int?
        if let problem = record.problem {
            errors.append(record.problemError(columnNames: header.columns.map(\.rawValue))!)
            switch problem {
            case .tooLong:
                return .failure(ValidationErrors(errors))
            case .invalidUTF8(let index), .textAfterClosingQuote(let index):
                unreadableIndex = index
            }
        }

        /// The column's value, or nil when the file has no such column, its bytes were unreadable (already
        /// reported), or `read` threw (the error is recorded against the column).
        func value<Value>(
            _ column: PupilImportColumn,
            _ read: (String) throws(ValidationError) -> Value
        ) -> Value? {
            guard let index = header.index(of: column), index != unreadableIndex else {
                return nil
            }
            do {
                return try read(record.fields[index])
            } catch {
                errors.append(error.about(field: column.rawValue).at(line: line))
                return nil
            }
        }
        func fail(_ column: PupilImportColumn, _ message: String) {
            errors.append(ValidationError(field: column.rawValue, message: message, line: line))
        }

        let upn = value(.upn) { text throws(ValidationError) in try UPN(text) }
        let givenName = value(.givenName, name)
        let familyName = value(.familyName, name)
        let dateOfBirth = value(.dateOfBirth) { text throws(ValidationError) in try birthDate(text, today: today) }
        let yearGroup = value(.yearGroup) { text throws(ValidationError) in try YearGroup.parse(text, field: "") }
        let senStatus = value(.senStatus) { text throws(ValidationError) in
            text.trimmingWhitespace().isEmpty ? SENStatus.noSEN : try SENStatus.parse(text, field: "")
        }
        // Outer nil: the cell was invalid; inner nil: the cell was empty.
        let primaryNeed = value(.primaryNeed, need)
        let secondaryNeed = value(.secondaryNeed, need)
        // A flag column the file leaves out means no; nil means the cell was invalid.
        func flagValue(_ column: PupilImportColumn) -> Bool? {
            header.index(of: column) == nil ? false : value(column, flag)
        }
        let eal = flagValue(.eal)
        let pupilPremium = flagValue(.pupilPremium)
        let lookedAfter = flagValue(.lookedAfter)
        let youngCarer = flagValue(.youngCarer)

        if let senStatus {
            for (column, code) in [(PupilImportColumn.primaryNeed, primaryNeed), (.secondaryNeed, secondaryNeed)] {
                guard let code = code ?? nil else {
                    continue
                }
                do {
                    try NeedCode.validate(code, status: senStatus, field: column.rawValue)
                } catch {
                    errors.append(error.at(line: line))
                }
            }
        }
        if let primaryNeed, let secondaryNeed, let secondary = secondaryNeed {
            if primaryNeed == nil {
                fail(.secondaryNeed, "is given without a primary need; give the primary need too, or move it there")
            } else if primaryNeed == secondary {
                fail(.secondaryNeed, "is the same as the primary need; leave it empty or give a different need")
            }
        }

        guard errors.isEmpty, let upn, let givenName, let familyName, let dateOfBirth, let yearGroup, let senStatus,
            let primaryNeed, let secondaryNeed, let eal, let pupilPremium, let lookedAfter, let youngCarer
        else {
            return .failure(ValidationErrors(errors))
        }
        return .success(
            PupilImportRow(
                line: line,
                upn: upn,
                givenName: givenName,
                familyName: familyName,
                dateOfBirth: dateOfBirth,
                yearGroup: yearGroup,
                senStatus: senStatus,
                primaryNeed: primaryNeed,
                secondaryNeed: secondaryNeed,
                eal: eal,
                pupilPremium: pupilPremium,
                lookedAfter: lookedAfter,
                youngCarer: youngCarer,
                warning: yearGroup.check(dateOfBirth: dateOfBirth, academicYear: AcademicYear(containing: today))
            )
        )
    }

    private static func name(_ text: String) throws(ValidationError) -> String {
        try PupilFields.name(text, field: "")
    }

    private static func birthDate(_ text: String, today: Day) throws(ValidationError) -> Day {
        try PupilFields.dateOfBirth(text, field: "", today: today)
    }

    private static func need(_ text: String) throws(ValidationError) -> NeedCode? {
        text.trimmingWhitespace().isEmpty ? nil : try NeedCode.parse(text, field: "")
    }

    private static let yes: Set<String> = ["yes", "y", "true", "1"]
    private static let no: Set<String> = ["no", "n", "false", "0", ""]

    private static func flag(_ text: String) throws(ValidationError) -> Bool {
        let answer = text.trimmingWhitespace().lowercased()
        if yes.contains(answer) {
            return true
        }
        if no.contains(answer) {
            return false
        }
        throw ValidationError(
            field: "",
            message: "is not yes or no; use yes/no, y/n, true/false or 1/0 (empty means no)"
        )
    }
}
