import Foundation
import InclusionCore
import Testing

@Suite("Review cycles")
struct ReviewCycleTests {
    private static func day(_ year: Int, _ month: Int, _ day: Int) -> Day {
        Day(year: year, month: month, day: day)!
    }

    private static let autumn = TermDates(name: "Autumn 2026", first: day(2026, 9, 3), last: day(2026, 12, 18))
    private static let spring = TermDates(name: "Spring 2027", first: day(2027, 1, 5), last: day(2027, 3, 26))
    private static let summer = TermDates(name: "Summer 2027", first: day(2027, 4, 12), last: day(2027, 7, 21))
    /// Deliberately out of order: the rule must not depend on how terms are listed.
    private static let terms = [summer, autumn, spring]

    @Test(
        "termly reviews fall on the last day of the first term ending at least six weeks later",
        arguments: [
            ((2026, 9, 10), (2026, 12, 18)),
            // 6 Nov + 42 days is 18 Dec, the last day of autumn: exactly six weeks is enough.
            ((2026, 11, 6), (2026, 12, 18)),
            // One day later leaves under six weeks of autumn, so the review moves to the end of spring.
            ((2026, 11, 7), (2027, 3, 26)),
            ((2026, 12, 18), (2027, 3, 26)),
            ((2026, 8, 1), (2026, 12, 18)),
            ((2027, 2, 15), (2027, 7, 21)),
            ((2027, 6, 9), (2027, 7, 21)),
        ]
    )
    func termlyUsesTermEnds(start: (Int, Int, Int), due: (Int, Int, Int)) {
        let next = ReviewCycle.termly.nextDue(after: Self.day(start.0, start.1, start.2), terms: Self.terms)
        #expect(next == Self.day(due.0, due.1, due.2))
    }

    @Test("termly falls back to three months when no recorded term ends six weeks ahead")
    func termlyFallsBackToThreeMonths() {
        // 10 June + 42 days is 22 July, after the last recorded term.
        #expect(ReviewCycle.termly.nextDue(after: Self.day(2027, 6, 10), terms: Self.terms) == Self.day(2027, 9, 10))
        #expect(ReviewCycle.termly.nextDue(after: Self.day(2026, 9, 10), terms: []) == Self.day(2026, 12, 10))
        #expect(ReviewCycle.termly.nextDue(after: Self.day(2026, 11, 30), terms: []) == Self.day(2027, 2, 28))
    }

    @Test(
        "month and week cycles are calendar arithmetic",
        arguments: [
            (ReviewCycle.months(6), (2026, 9, 10), (2027, 3, 10)),
            (.months(6), (2026, 8, 31), (2027, 2, 28)),
            (.months(12), (2026, 9, 10), (2027, 9, 10)),
            (.months(12), (2024, 2, 29), (2025, 2, 28)),
            (.weeks(4), (2026, 9, 10), (2026, 10, 8)),
            (.weeks(4), (2026, 12, 20), (2027, 1, 17)),
            (.weeks(52), (2026, 9, 10), (2027, 9, 9)),
        ]
    )
    func monthsAndWeeksAreCalendarArithmetic(cycle: ReviewCycle, start: (Int, Int, Int), due: (Int, Int, Int)) {
        // Terms are ignored for these cycles.
        let next = cycle.nextDue(after: Self.day(start.0, start.1, start.2), terms: Self.terms)
        #expect(next == Self.day(due.0, due.1, due.2))
    }

    @Test(
        "the written forms parse and print back",
        arguments: [
            ("termly", ReviewCycle.termly), ("6m", .months(6)), ("12m", .months(12)), ("1m", .months(1)),
            ("24m", .months(24)), ("4w", .weeks(4)), ("1w", .weeks(1)), ("52w", .weeks(52)),
        ]
    )
    func writtenFormsRoundTrip(text: String, cycle: ReviewCycle) throws {
        #expect(try ReviewCycle.parse(text, field: "review-every") == cycle)
        #expect(cycle.description == text)
        #expect(try ReviewCycle.parse(" \(text.uppercased()) ", field: "review-every") == cycle)
    }

    @Test(
        "other text is rejected with the three forms",
        arguments: ["", "6", "m", "6d", "six months", "-1m", "+6m", "1.5m", "term", "100w", "٦m"]
    )
    func malformedCyclesAreRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try ReviewCycle.parse(text, field: "review-every") }
        #expect(error?.message.hasPrefix("is not a review cycle; use termly, Nm") == true)
    }

    @Test(
        "counts outside the allowed range are rejected with the range",
        arguments: [
            ("0m", "1 to 24 months"), ("25m", "1 to 24 months"), ("0w", "1 to 52 weeks"), ("53w", "1 to 52 weeks"),
        ]
    )
    func outOfRangeCountsAreRejected(text: String, range: String) {
        let error = #expect(throws: ValidationError.self) { try ReviewCycle.parse(text, field: "review-every") }
        #expect(error?.message.contains(range) == true)
    }

    @Test("a cycle encodes as its written form")
    func codableUsesWrittenForm() throws {
        let cycles: [ReviewCycle] = [.termly, .months(6), .weeks(4)]
        let data = try JSONEncoder().encode(cycles)
        #expect(String(decoding: data, as: UTF8.self) == #"["termly","6m","4w"]"#)
        #expect(try JSONDecoder().decode([ReviewCycle].self, from: data) == cycles)
    }
}
