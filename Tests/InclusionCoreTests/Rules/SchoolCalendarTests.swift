import InclusionCore
import Testing

@Suite("School calendar")
struct SchoolCalendarTests {
    @Test(arguments: [
        ("2025-09-03", true),  // first day of term, a Wednesday
        ("2025-09-02", false),  // before the first term
        ("2025-09-06", false),  // a Saturday in term
        ("2025-10-28", false),  // half-term closure
        ("2025-12-22", false),  // between terms
        ("2026-05-04", false),  // a one-day closure (bank holiday)
        ("2026-05-05", true),
        ("2026-07-23", true),  // after the last recorded term: Monday to Friday
        ("2026-07-25", false),  // a Saturday after the last term
    ])
    func aSchoolDayIsAWeekdayInATermOutsideItsClosures(day: String, isSchoolDay: Bool) {
        #expect(calendar2025.isSchoolDay(d(day)) == isSchoolDay)
    }

    @Test func aSchoolWithNoTermsCountsWeekdays() {
        let none = SchoolCalendar(terms: [])
        #expect(none.schoolDays(from: d("2025-12-22"), through: d("2026-01-04")) == 10)
        #expect(none.termDatesMissing(on: d("2025-12-22")))
    }

    @Test func countingSkipsHolidaysAndClosures() {
        // Friday 24 October to Monday 3 November: half term lies between.
        #expect(calendar2025.schoolDays(after: d("2025-10-24"), before: d("2025-11-03")) == 0)
        #expect(calendar2025.schoolDays(from: d("2025-10-20"), through: d("2025-11-07")) == 10)
        #expect(calendar2025.termDatesMissing(on: d("2026-07-22")) == false)
        #expect(calendar2025.termDatesMissing(on: d("2026-07-23")))
    }
}
