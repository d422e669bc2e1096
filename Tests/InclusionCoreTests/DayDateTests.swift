import Foundation
import InclusionCore
import Testing

@Suite("The day an instant falls on")
struct DayDateTests {
    static let london = TimeZone(identifier: "Europe/London")!
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func instant(_ iso: String) -> Date {
        ISO8601DateFormatter().date(from: iso)!
    }

    @Test(
        "the local calendar day, whatever the offset",
        arguments: [
            // British Summer Time: 23:30 UTC on 30 June is already 1 July in London.
            ("2026-06-30T23:30:00Z", london, "2026-07-01"),
            ("2026-12-31T23:30:00Z", london, "2026-12-31"),
            ("2026-03-01T15:00:00Z", tokyo, "2026-03-02"),
            ("2026-03-01T03:00:00Z", newYork, "2026-02-28"),
            // Before the Unix epoch, days still round down.
            ("1969-12-31T23:59:59Z", TimeZone.gmt, "1969-12-31"),
            ("1970-01-01T00:00:00Z", TimeZone.gmt, "1970-01-01"),
        ]
    )
    func localDay(instant: String, zone: TimeZone, expected: String) throws {
        #expect(Day(date: Self.instant(instant), timeZone: zone).description == expected)
    }

    @Test func agreesWithFoundationsCalendarForEveryHourOfAYear() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.london
        let start = Self.instant("2026-01-01T00:00:00Z")
        for hour in stride(from: 0, to: 366 * 24, by: 1) {
            let date = start.addingTimeInterval(Double(hour) * 3600)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let expected = try #require(Day(year: parts.year!, month: parts.month!, day: parts.day!))
            #expect(Day(date: date, timeZone: Self.london) == expected)
        }
    }
}
