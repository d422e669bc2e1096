import Foundation
import InclusionCore
import Testing

@Suite("Day")
struct DayTests {
    private func day(_ year: Int, _ month: Int, _ day: Int) -> Day {
        Day(year: year, month: month, day: day)!
    }

    @Test(
        "ISO and UK MIS dates parse to the same day",
        arguments: [
            ("2026-09-01", 2026, 9, 1), ("01/09/2026", 2026, 9, 1), ("1/9/2026", 2026, 9, 1),
            (" 29/02/2024 ", 2024, 2, 29),
            ("2000-02-29", 2000, 2, 29), ("31/12/1999", 1999, 12, 31), ("1900-01-01", 1900, 1, 1),
            ("31/12/2100", 2100, 12, 31),
        ]
    )
    func bothFormatsParse(text: String, year: Int, month: Int, dayOfMonth: Int) throws {
        let parsed = try Day.parse(text, field: "dob")
        #expect(parsed == day(year, month, dayOfMonth))
        #expect((parsed.year, parsed.month, parsed.day) == (year, month, dayOfMonth))
    }

    @Test(
        "impossible dates are rejected naming the field",
        arguments: [
            "31/02/2025", "29/02/2025", "2025-02-29", "1900-02-29", "31/04/2026", "00/01/2026", "2026-13-01",
            "2026-00-10",
        ]
    )
    func impossibleDatesAreRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try Day.parse(text, field: "date_of_birth") }
        #expect(error?.field == "date_of_birth")
        #expect(error?.message.hasPrefix("is not a real calendar date") == true)
        #expect(error?.message.contains(text) == false)
    }

    @Test(
        "text in neither format is rejected with the two forms",
        arguments: [
            "2026-9-1", "01-09-2026", "01/09/26", "2026/09/01", "1st Sept", "20260901", "001/09/2026", "٠١/٠٩/٢٠٢٦",
        ]
    )
    func malformedDatesAreRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try Day.parse(text, field: "on") }
        #expect(error?.description.hasPrefix("on: is not a date; write it as YYYY-MM-DD") == true)
    }

    @Test(
        "dates before 1900 or after 2100 are refused naming the field",
        arguments: ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31", "99999-01-01", "31/12/1899", "01/01/0000"]
    )
    func datesOutOfRangeAreRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try Day.parse(text, field: "starts") }
        #expect(error?.description == "starts: has a year outside 1900 to 2100; check the year")
    }

    @Test("an empty date says it is empty")
    func emptyDateIsRejected() {
        let error = #expect(throws: ValidationError.self) { try Day.parse("  ", field: "on") }
        #expect(error?.message.hasPrefix("is empty") == true)
    }

    @Test("init(iso:) accepts only YYYY-MM-DD")
    func isoInitIsStrict() throws {
        #expect(try Day(iso: "2026-03-31") == day(2026, 3, 31))
        #expect(throws: ValidationError.self) { try Day(iso: "31/03/2026") }
        #expect(throws: ValidationError.self) { try Day(iso: "2026-02-30") }
    }

    @Test("the validating initialiser refuses days that do not exist")
    func componentInitValidates() {
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2023, month: 2, day: 29) == nil)
        #expect(Day(year: 2026, month: 4, day: 31) == nil)
        #expect(Day(year: 2026, month: 0, day: 1) == nil)
        #expect(Day(year: 2026, month: 1, day: 0) == nil)
    }

    @Test("description is ISO text, zero padded")
    func descriptionIsISO() {
        #expect(day(2026, 9, 1).description == "2026-09-01")
        #expect(day(987, 12, 25).description == "0987-12-25")
    }

    @Test(
        "adding months keeps the day or clamps to the month's end",
        arguments: [
            ((2025, 1, 31), 1, (2025, 2, 28)), ((2024, 1, 31), 1, (2024, 2, 29)), ((2026, 3, 31), 6, (2026, 9, 30)),
            ((2026, 8, 31), 12, (2027, 8, 31)), ((2026, 12, 15), 1, (2027, 1, 15)), ((2026, 1, 15), -1, (2025, 12, 15)),
            ((2024, 2, 29), 12, (2025, 2, 28)), ((2024, 2, 29), 48, (2028, 2, 29)), ((2026, 5, 31), -3, (2026, 2, 28)),
            ((2026, 6, 1), -300, (2001, 6, 1)), ((2026, 10, 31), 24, (2028, 10, 31)),
        ]
    )
    func addingMonthsClampsToMonthEnd(start: (Int, Int, Int), months: Int, end: (Int, Int, Int)) {
        #expect(day(start.0, start.1, start.2).adding(months: months) == day(end.0, end.1, end.2))
    }

    @Test("adding days and weeks crosses months, years and leap days")
    func addingDaysAndWeeks() {
        #expect(day(2024, 2, 28).adding(days: 1) == day(2024, 2, 29))
        #expect(day(2025, 2, 28).adding(days: 1) == day(2025, 3, 1))
        #expect(day(2026, 12, 31).adding(days: 1) == day(2027, 1, 1))
        #expect(day(2027, 1, 1).adding(days: -1) == day(2026, 12, 31))
        #expect(day(2026, 9, 1).adding(weeks: 4) == day(2026, 9, 29))
        #expect(day(2026, 12, 20).adding(weeks: 2) == day(2027, 1, 3))
        #expect(day(2026, 9, 1).days(to: day(2026, 10, 13)) == 42)
        #expect(day(2026, 10, 13).days(to: day(2026, 9, 1)) == -42)
        #expect(day(2000, 1, 1).days(to: day(2001, 1, 1)) == 366)
    }

    @Test(
        "weekday is ISO, Monday 1 to Sunday 7",
        arguments: [
            ((1970, 1, 1), 4), ((2026, 9, 1), 2), ((2026, 9, 6), 7), ((2026, 9, 7), 1), ((2000, 2, 29), 2),
            ((1969, 12, 28), 7), ((1900, 1, 1), 1), ((2024, 12, 25), 3),
        ]
    )
    func weekdayIsISO(date: (Int, Int, Int), weekday: Int) {
        #expect(day(date.0, date.1, date.2).weekday == weekday)
    }

    @Test("known days since the epoch")
    func knownEpochDays() {
        #expect(day(1970, 1, 1).daysSinceEpoch == 0)
        #expect(day(1970, 1, 2).daysSinceEpoch == 1)
        #expect(day(1969, 12, 31).daysSinceEpoch == -1)
        #expect(day(2000, 3, 1).daysSinceEpoch == 11_017)
        #expect(day(2026, 9, 1).daysSinceEpoch == 20_697)
        #expect(Day(daysSinceEpoch: 20_697) == day(2026, 9, 1))
        #expect(day(1, 1, 1).daysSinceEpoch == -719_162)
    }

    @Test("epoch days round trip and step one calendar day at a time from year 1 to 9999")
    func epochRoundTripOverWideRange() {
        let first = day(1, 1, 1).daysSinceEpoch
        let last = day(9999, 12, 31).daysSinceEpoch
        var previous = Day(daysSinceEpoch: first - 1)
        for number in first...last {
            let current = Day(daysSinceEpoch: number)
            guard current.daysSinceEpoch == number, previous < current,
                current == Day(year: current.year, month: current.month, day: current.day)
            else {
                Issue.record("day \(number) does not round trip")
                return
            }
            // Consecutive days: the next day of the month, or the first of the next month.
            let expectedNext =
                previous.day < Day.daysInMonth(year: previous.year, month: previous.month)
                ? (previous.year, previous.month, previous.day + 1)
                : previous.month < 12 ? (previous.year, previous.month + 1, 1) : (previous.year + 1, 1, 1)
            guard (current.year, current.month, current.day) == expectedNext else {
                Issue.record("day \(number) is \(current), not the day after \(previous)")
                return
            }
            previous = current
        }
        #expect(previous == day(9999, 12, 31))
    }

    @Test("days order by date")
    func daysAreOrdered() {
        #expect(day(2026, 8, 31) < day(2026, 9, 1))
        #expect(day(2025, 12, 31) < day(2026, 1, 1))
        #expect(
            [day(2026, 3, 1), day(2025, 3, 2), day(2026, 2, 28)].sorted() == [
                day(2025, 3, 2), day(2026, 2, 28), day(2026, 3, 1),
            ]
        )
    }

    @Test("a day encodes as ISO text and decoding validates it")
    func codableUsesISOText() throws {
        let data = try JSONEncoder().encode([day(2026, 9, 1)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-09-01"]"#)
        #expect(try JSONDecoder().decode([Day].self, from: data) == [day(2026, 9, 1)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Day].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }
}
