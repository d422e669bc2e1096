import InclusionCore
import Testing

@Suite("Year groups and academic years")
struct YearGroupTests {
    private func day(_ year: Int, _ month: Int, _ day: Int) -> Day {
        Day(year: year, month: month, day: day)!
    }

    private let year2026 = AcademicYear(startYear: 2026)

    @Test("an academic year runs from 1 September to 31 August")
    func academicYearBoundaries() {
        #expect(AcademicYear(containing: day(2026, 9, 1)) == year2026)
        #expect(AcademicYear(containing: day(2027, 8, 31)) == year2026)
        #expect(AcademicYear(containing: day(2026, 8, 31)) == AcademicYear(startYear: 2025))
        #expect(AcademicYear(containing: day(2027, 1, 1)) == year2026)
        #expect(year2026.firstDay == day(2026, 9, 1))
        #expect(year2026.lastDay == day(2027, 8, 31))
        #expect(year2026.description == "2026/27")
        #expect(AcademicYear(startYear: 1999).description == "1999/00")
        #expect(AcademicYear(startYear: 2008).description == "2008/09")
    }

    @Test(
        "31 August and 1 September birthdays fall in different year groups",
        arguments: [
            // Born 1 Sep 2021 … 31 Aug 2022: Reception in 2026/27.
            ((2021, 9, 1), YearGroup.reception), ((2022, 8, 31), .reception),
            // One day older: a year ahead.
            ((2021, 8, 31), .year1), ((2020, 9, 1), .year1),
            ((2022, 9, 1), .n2), ((2023, 8, 31), .n2), ((2023, 9, 1), .n1), ((2024, 8, 31), .n1),
            ((2018, 8, 31), .year4), ((2017, 9, 1), .year4), ((2017, 8, 31), .year5),
            ((2008, 8, 31), .year14), ((2007, 9, 1), .year14),
        ]
    )
    func expectedYearGroupFollowsBirthday(birth: (Int, Int, Int), expected: YearGroup) {
        #expect(YearGroup.expected(dateOfBirth: day(birth.0, birth.1, birth.2), in: year2026) == expected)
    }

    @Test("children too young for N1 or too old for year 14 have no expected year group")
    func expectedYearGroupOutsideRangeIsNil() {
        #expect(YearGroup.expected(dateOfBirth: day(2024, 9, 1), in: year2026) == nil)
        #expect(YearGroup.expected(dateOfBirth: day(2007, 8, 31), in: year2026) == nil)
    }

    @Test("the expected year group moves up one each academic year")
    func expectedYearGroupAdvances() {
        // Born in the 2018/19 academic year: Reception from September 2023.
        let birth = day(2019, 3, 14)
        #expect(YearGroup.expected(dateOfBirth: birth, in: AcademicYear(startYear: 2022)) == .n2)
        #expect(YearGroup.expected(dateOfBirth: birth, in: AcademicYear(startYear: 2023)) == .reception)
        #expect(YearGroup.expected(dateOfBirth: birth, in: AcademicYear(startYear: 2024)) == .year1)
        #expect(YearGroup.expected(dateOfBirth: birth, in: year2026) == .year3)
    }

    @Test("a matching year group gives no warning; another gives the documented warning")
    func checkWarnsOnMismatch() {
        let birth = day(2018, 1, 10)
        #expect(YearGroup.year4.check(dateOfBirth: birth, academicYear: year2026) == nil)
        #expect(
            YearGroup.year5.check(dateOfBirth: birth, academicYear: year2026)
                == "year group 5 does not match the date of birth for 2026/27 (expected 4); accepted — the census "
                + "check will list it"
        )
        #expect(
            YearGroup.year14.check(dateOfBirth: day(2000, 1, 1), academicYear: year2026)
                == "year group 14 does not match the date of birth for 2026/27 (that date of birth is outside N1 to "
                + "14); accepted — the census check will list it"
        )
    }

    @Test("ordinals run from N1 = -2 to 14 and map back")
    func ordinalsRoundTrip() {
        #expect(YearGroup.allCases.map(\.ordinal) == Array(-2...14))
        for group in YearGroup.allCases {
            #expect(YearGroup(ordinal: group.ordinal) == group)
        }
        #expect(YearGroup(ordinal: -3) == nil)
        #expect(YearGroup(ordinal: 15) == nil)
    }

    @Test(
        "year groups parse ignoring case and whitespace",
        arguments: [
            ("n1", YearGroup.n1), ("N2", .n2), (" r ", .reception), ("R", .reception), ("1", .year1), ("14", .year14),
        ]
    )
    func yearGroupsParse(text: String, expected: YearGroup) throws {
        #expect(try YearGroup.parse(text, field: "year") == expected)
        #expect(expected.description == expected.rawValue)
    }

    @Test("an unknown year group lists every allowed value", arguments: ["15", "0", "Y5", "reception", "N3"])
    func unknownYearGroupIsRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try YearGroup.parse(text, field: "year") }
        #expect(
            error?.description
                == "year: is not a year group; use one of: N1, N2, R, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14"
        )
    }
}
