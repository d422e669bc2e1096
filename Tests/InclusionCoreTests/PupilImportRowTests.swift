import Foundation
import InclusionCore
import Testing

@Suite("Pupil import rows")
struct PupilImportRowTests {
    static let today = Day(year: 2027, month: 1, day: 15)!
    static let fullHeader = [
        "upn", "given_name", "family_name", "date_of_birth", "year_group", "sen_status", "primary_need",
        "secondary_need", "eal", "pupil_premium", "looked_after", "young_carer",
    ]
    static let goodCells = [
        "A123456789012", "Zoë", "O'Brien", "2018-01-10", "4", "K", "SEMH", "SLCN", "yes", "no", "Y", "0",
    ]

    private func header(_ names: [String] = fullHeader) throws -> PupilImportHeader {
        try PupilImportRow.header(names)
    }

    private func parse(
        _ cells: [String],
        header names: [String] = fullHeader,
        line: Int = 2
    ) throws -> Result<PupilImportRow, ValidationErrors> {
        PupilImportRow.parse(CSVRecord(fields: cells, line: line), header: try header(names), today: Self.today)
    }

    /// The good row with one column replaced.
    private func cells(_ column: String, _ value: String) -> [String] {
        var cells = Self.goodCells
        cells[Self.fullHeader.firstIndex(of: column)!] = value
        return cells
    }

    private func errors(_ result: Result<PupilImportRow, ValidationErrors>) -> [ValidationError] {
        guard case .failure(let failure) = result else {
            return []
        }
        return failure.errors
    }

    @Test("a good row parses into every field")
    func goodRowParses() throws {
        let row = try parse(Self.goodCells, line: 7).get()
        #expect(row.line == 7)
        #expect(row.upn == (try UPN("A123456789012")))
        #expect(row.givenName == "Zoë")
        #expect(row.familyName == "O'Brien")
        #expect(row.dateOfBirth == Day(year: 2018, month: 1, day: 10))
        #expect(row.yearGroup == .year4)
        #expect(row.senStatus == .senSupport)
        #expect(row.primaryNeed == .semh)
        #expect(row.secondaryNeed == .slcn)
        #expect([row.eal, row.pupilPremium, row.lookedAfter, row.youngCarer] == [true, false, true, false])
        #expect(row.warning == nil)
    }

    @Test("MIS-style cells parse: UK dates, lower case, padding, empty status and needs, no flag columns")
    func misStyleRowParses() throws {
        let names = [
            "UPN", " Family_Name ", "given_name", "date_of_birth", "Year_Group", "sen_status", "primary_need",
            "secondary_need",
        ]
        let row = try parse(
            [" a123456789012 ", " Smith ", "Jo", "1/9/2021", "r", "", "", ""],
            header: names
        ).get()
        #expect(row.upn.text == "A123456789012")
        #expect(row.familyName == "Smith")
        #expect(row.givenName == "Jo")
        #expect(row.dateOfBirth == Day(year: 2021, month: 9, day: 1))
        #expect(row.yearGroup == .reception)
        #expect(row.senStatus == .noSEN)
        #expect(row.primaryNeed == nil && row.secondaryNeed == nil)
        #expect([row.eal, row.pupilPremium, row.lookedAfter, row.youngCarer] == [false, false, false, false])
    }

    @Test("SEN support or an EHC plan with no need yet is accepted (assessment under way)")
    func senWithoutNeedIsAccepted() throws {
        var cells = cells("primary_need", "")
        cells[7] = ""
        #expect(try parse(cells).get().primaryNeed == nil)
        cells[5] = "E"
        #expect(try parse(cells).get().senStatus == .ehcPlan)
    }

    @Test(
        "flags accept yes/no, y/n, true/false, 1/0 and empty",
        arguments: [
            ("yes", true), ("Y", true), ("TRUE", true), ("1", true), ("no", false), ("n", false),
            ("False", false), ("0", false), ("", false), (" yes ", true),
        ]
    )
    func flagsParse(text: String, value: Bool) throws {
        #expect(try parse(cells("eal", text)).get().eal == value)
    }

    @Test("a year group that does not match the date of birth is accepted with a warning")
    func yearGroupMismatchWarns() throws {
        let row = try parse(cells("year_group", "5")).get()
        #expect(
            row.warning
                == "year group 5 does not match the date of birth for 2026/27 (expected 4); accepted — the census "
                + "check will list it"
        )
    }

    @Test(
        "each kind of bad field gives one error naming its column, at the record's line",
        arguments: [
            ("upn", "A123456789013", "the check letter does not match"),
            ("upn", "A12345", "has 6 characters"),
            ("given_name", "  ", "is empty"),
            ("family_name", String(repeating: "x", count: 101), "is too long (101 characters; at most 100"),
            ("family_name", "Smi\u{0}th", "contains a NUL byte"),
            ("date_of_birth", "31/02/2018", "is not a real calendar date"),
            ("date_of_birth", "10-01-2018", "is not a date"),
            ("date_of_birth", "2027-01-16", "is in the future"),
            ("date_of_birth", "2002-01-14", "is more than 25 years ago"),
            ("year_group", "Y4", "is not a year group; use one of: N1, N2, R, 1"),
            ("sen_status", "S", "is not an SEN status (N, K or E); use one of: N, K, E"),
            ("primary_need", "ADHD", "is not a census need code; use one of: SPLD, MLD"),
            ("secondary_need", "SEMH", "is the same as the primary need"),
            ("eal", "maybe", "is not yes or no; use yes/no, y/n, true/false or 1/0"),
            ("young_carer", "2", "is not yes or no"),
        ]
    )
    func badFieldIsReported(column: String, value: String, message: String) throws {
        let found = errors(try parse(cells(column, value), line: 438))
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect(error.field == column)
        #expect(error.line == 438)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test("dates of birth on the limits are accepted: today, and exactly 25 years ago")
    func dateOfBirthLimits() throws {
        #expect(try parse(cells("date_of_birth", "2027-01-15")).get().dateOfBirth == Self.today)
        #expect(try parse(cells("date_of_birth", "15/01/2002")).get().dateOfBirth == Day(year: 2002, month: 1, day: 15))
    }

    @Test("needs must suit the SEN status")
    func needsMustSuitStatus() throws {
        var nsaWithPlan = cells("primary_need", "NSA")
        nsaWithPlan[5] = "E"
        #expect(errors(try parse(nsaWithPlan)).map(\.field) == ["primary_need"])
        #expect(errors(try parse(nsaWithPlan)).first?.message.hasPrefix("NSA (no specialist assessment)") == true)
        #expect(try parse(cells("primary_need", "NSA")).get().primaryNeed == .nsa)

        let needsWithoutSEN = cells("sen_status", "N")
        #expect(errors(try parse(needsWithoutSEN)).map(\.field) == ["primary_need", "secondary_need"])
        #expect(errors(try parse(cells("sen_status", ""))).count == 2)
    }

    @Test("a secondary need requires a primary need")
    func secondaryNeedsPrimary() throws {
        let found = errors(try parse(cells("primary_need", "")))
        #expect(found.map(\.field) == ["secondary_need"])
        #expect(found.first?.message.hasPrefix("is given without a primary need") == true)
    }

    @Test("every problem in a row is reported at once, in column order")
    func multipleErrorsInOneRow() throws {
        let cells = ["B123456789012", "", "Smith", "2030-01-01", "15", "X", "SEMH", "", "yes", "perhaps", "no", "no"]
        let found = errors(try parse(cells, line: 12))
        #expect(
            found.map(\.field) == ["upn", "given_name", "date_of_birth", "year_group", "sen_status", "pupil_premium"]
        )
        #expect(found.allSatisfy { $0.line == 12 })
    }

    @Test("errors never repeat the pupil's data")
    func errorsDoNotEchoValues() throws {
        let cells = [
            "Q987654321098", "Xanthippe\u{0}", "Smith", "1899-07-31", "Year 9", "SEN-K", "DYSLEXIA",
            "NOTACODE", "si", "oui", "ja", "da",
        ]
        let found = errors(try parse(cells))
        #expect(found.count == 11)
        for error in found {
            for value in ["987654321098", "Xanthippe", "1899", "Year 9", "SEN-K", "DYSLEXIA", "NOTACODE", "oui"] {
                #expect(!error.description.contains(value), "\(error.field) repeats its value")
            }
        }
    }

    @Test("a record with the wrong number of fields is one error naming the expected count")
    func wrongFieldCount() throws {
        let found = errors(try parse(Array(Self.goodCells.dropLast()), line: 9))
        #expect(
            found == [
                ValidationError(
                    field: "row",
                    message: "has 11 fields but the header has 12 columns; check for a missing or extra comma (text "
                        + "containing a comma must be in double quotes)",
                    line: 9
                )
            ]
        )
    }

    @Test("a cell that is not valid UTF-8 is reported under its column and not parsed further")
    func invalidUTF8Cell() throws {
        var cells = Self.goodCells
        cells[1] = "Zo\u{FFFD}"
        let record = CSVRecord(fields: cells, line: 5, problem: .invalidUTF8(fieldIndex: 1))
        let result = PupilImportRow.parse(record, header: try header(), today: Self.today)
        let found = errors(result)
        #expect(found.map(\.field) == ["given_name"])
        #expect(
            found.first?.description == "given_name: is not valid UTF-8 text; save the file as UTF-8 (in Excel: CSV "
                + "UTF-8) and import it again (line 5)"
        )
    }

    @Test("header columns map in any order, ignoring case and whitespace")
    func headerMapsColumns() throws {
        let header = try PupilImportRow.header([
            " SEN_status", "upn", "Date_Of_Birth ", "given_name", "family_name",
            "year_group", "primary_need", "secondary_need", "young_carer",
        ])
        #expect(header.fieldCount == 9)
        #expect(header.index(of: .senStatus) == 0)
        #expect(header.index(of: .youngCarer) == 8)
        #expect(header.index(of: .eal) == nil)
    }

    @Test("a header with unknown, repeated or missing columns names them all")
    func headerErrors() {
        var names = Self.fullHeader
        names[8] = "english_additional"
        names[3] = "dob"
        names.append("UPN")
        let error = #expect(throws: ValidationError.self) { try PupilImportRow.header(names) }
        #expect(error?.field == "header")
        #expect(error?.line == 1)
        #expect(
            error?.message.hasPrefix(
                "unknown columns dob, english_additional; repeated column upn; missing required column date_of_birth; "
                    + "the columns are upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,"
                    + "secondary_need, then optionally eal,pupil_premium,looked_after,young_carer"
            ) == true
        )
        let empty = #expect(throws: ValidationError.self) { try PupilImportRow.header(Self.fullHeader + [""]) }
        #expect(empty?.message.hasPrefix("unknown column (a column with no name);") == true)
        let missing = #expect(throws: ValidationError.self) { try PupilImportRow.header(["upn", "given_name"]) }
        #expect(
            missing?.message.hasPrefix(
                "missing required columns family_name, date_of_birth, year_group, sen_status, primary_need, "
                    + "secondary_need;"
            ) == true
        )
    }

    @Test("a first line of pupil data instead of a header is refused without repeating it")
    func dataInsteadOfHeader() {
        let error = #expect(throws: ValidationError.self) { try PupilImportRow.header(Self.goodCells) }
        #expect(error?.message.hasPrefix("the first line is not a header") == true)
        #expect(error?.message.contains("O'Brien") == false)
        #expect(error?.message.contains("A123456789012") == false)
    }

    /// The header line of a file as `encoding` writes it, with or without a byte order mark.
    private static func headerBytes(_ encoding: String.Encoding, bom: [UInt8]) -> [UInt8] {
        let text = Self.fullHeader.joined(separator: ",") + "\r\n"
        return bom + Array(text.data(using: encoding)!)
    }

    @Test(
        "a UTF-16 file is named as such, with or without its byte order mark",
        arguments: [
            (String.Encoding.utf16LittleEndian, [0xFF, 0xFE] as [UInt8]), (.utf16BigEndian, [0xFE, 0xFF]),
            (.utf16LittleEndian, []), (.utf16BigEndian, []),
        ]
    )
    func utf16IsNamed(encoding: String.Encoding, bom: [UInt8]) throws {
        var reader = CSVRecordReader()
        let records = reader.feed(Self.headerBytes(encoding, bom: bom)) + (try reader.finish())
        let first = try #require(records.first)
        let error = #expect(throws: ValidationError.self) { try PupilImportRow.header(first.fields, line: first.line) }
        #expect(error?.field == "file")
        #expect(error?.line == 1)
        #expect(error?.message.hasPrefix("looks like UTF-16 text, not UTF-8") == true)
        #expect(error?.message.contains("save it as CSV UTF-8") == true)
    }

    @Test("a UTF-8 file with a byte order mark has a good header")
    func utf8WithByteOrderMark() throws {
        var reader = CSVRecordReader()
        let records = reader.feed(Self.headerBytes(.utf8, bom: [0xEF, 0xBB, 0xBF])) + (try reader.finish())
        let header = try PupilImportRow.header(try #require(records.first).fields)
        #expect(header.columns == PupilImportColumn.allCases)
    }
}
