import InclusionCore
import Testing

/// One validation for a pupil's fields, whichever way the pupil arrives (`pupil add`, `pupil set`, `pupil import`).
@Suite("Pupil fields")
struct PupilFieldsTests {
    static let today = Day(year: 2026, month: 12, day: 1)!

    @Test(arguments: ["2026-12-01", "01/12/2001", "2001-12-01"])
    func aDateOfBirthUpTo25YearsAgoIsAccepted(_ text: String) throws {
        _ = try PupilFields.dateOfBirth(text, field: "dob", today: Self.today)
    }

    @Test(arguments: [
        ("2026-12-02", "dob is in the future; check the date of birth"),
        ("2001-11-30", "dob is more than 25 years ago, too old for a pupil; check the year"),
    ])
    func aDateOfBirthOutsideTheRangeNamesTheField(_ text: String, message: String) {
        let error = #expect(throws: ValidationError.self) {
            try PupilFields.dateOfBirth(text, field: "dob", today: Self.today)
        }
        #expect(error?.field == "dob")
        #expect(error.map { "\($0.field) \($0.message)" } == message)
    }

    @Test func importAndAddShareTheRule() throws {
        // The import's date-of-birth column gives the same verdict as `pupil add --dob`.
        let header = try PupilImportRow.header([
            "upn", "given_name", "family_name", "date_of_birth", "year_group", "sen_status", "primary_need",
            "secondary_need",
        ])
        let outcome = PupilImportRow.parse(
            CSVRecord(fields: ["A123456789012", "Pat", "Old", "2001-11-30", "6", "N", "", ""], line: 2),
            header: header,
            today: Self.today
        )
        guard case .failure(let errors) = outcome else {
            Issue.record("the import accepted a date of birth over 25 years ago")
            return
        }
        #expect(errors.errors.contains { $0.message.contains("more than 25 years ago") })
        #expect(throws: ValidationError.self) {
            try PupilFields.dateOfBirth("2001-11-30", field: "dob", today: Self.today)
        }
    }

    @Test func namesAreTrimmedAndLimited() throws {
        #expect(try PupilFields.name("  Pat ", field: "given") == "Pat")
        let long = #expect(throws: ValidationError.self) {
            try PupilFields.name(String(repeating: "a", count: 101), field: "family")
        }
        #expect(long?.field == "family")
    }
}
