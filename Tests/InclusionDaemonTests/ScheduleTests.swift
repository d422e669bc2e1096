import Foundation
import InclusionDaemon
import Testing

@Suite("Schedules")
struct ScheduleTests {
    static let london = TimeZone(identifier: "Europe/London")!

    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    static func texts(_ dates: [Date]) -> [String] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return dates.map { formatter.string(from: $0) }
    }

    @Test func aTimeSkippedBySpringForwardRunsAtTheEndOfTheGap() throws {
        // 29 March 2026: London clocks go from 01:00 GMT to 02:00 BST; 01:30 local does not exist.
        let schedule = try Schedule.parse("30 1 * * *")
        let slots = schedule.slots(
            after: Self.utc("2026-03-28T12:00:00Z"),
            through: Self.utc("2026-03-29T12:00:00Z"),
            in: Self.london
        )
        #expect(Self.texts(slots) == ["2026-03-29T01:00:00Z"])
    }

    @Test func aTimeRepeatedByFallBackRunsAtItsFirstOccurrence() throws {
        // 25 October 2026: 01:30 local happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
        let schedule = try Schedule.parse("30 1 * * *")
        let slots = schedule.slots(
            after: Self.utc("2026-10-24T12:00:00Z"),
            through: Self.utc("2026-10-25T12:00:00Z"),
            in: Self.london
        )
        #expect(Self.texts(slots) == ["2026-10-25T00:30:00Z"])
    }

    @Test func quarterHourSlotsAcrossTheSpringGapCollapseIntoOne() throws {
        let schedule = try Schedule.parse("*/15 * * * *")
        let slots = schedule.slots(
            after: Self.utc("2026-03-29T00:20:00Z"),
            through: Self.utc("2026-03-29T01:20:00Z"),
            in: Self.london
        )
        // 00:30 and 00:45 GMT; 01:00–01:45 local are skipped and run once at the end of the gap (01:00 UTC, which is
        // also 02:00 BST); then 02:15 BST.
        #expect(
            Self.texts(slots) == [
                "2026-03-29T00:30:00Z", "2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z",
            ]
        )
    }

    @Test func halfHourSlotsAcrossTheAutumnRepeatRunOnce() throws {
        let schedule = try Schedule.parse("*/30 * * * *")
        let slots = schedule.slots(
            after: Self.utc("2026-10-24T23:59:00Z"),
            through: Self.utc("2026-10-25T02:00:00Z"),
            in: Self.london
        )
        // 01:00 and 01:30 local happen first at 00:00 and 00:30 UTC; their repeats (01:00, 01:30 UTC) are not slots.
        #expect(Self.texts(slots) == ["2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z"])
    }

    @Test func weekdayMorningsFollowLocalTimeAcrossTheChange() throws {
        let schedule = try Schedule.parse("0 7 * * 1-5")
        let slots = schedule.slots(
            after: Self.utc("2026-03-26T00:00:00Z"),
            through: Self.utc("2026-04-01T00:00:00Z"),
            in: Self.london
        )
        #expect(
            Self.texts(slots) == [
                "2026-03-26T07:00:00Z", "2026-03-27T07:00:00Z", "2026-03-30T06:00:00Z", "2026-03-31T06:00:00Z",
            ]
        )
    }

    @Test(arguments: ["every 1s", "every 7s", "every 1min", "every 2h"])
    func everySlotsAreMultiplesOfTheIntervalSinceTheEpoch(text: String) throws {
        let schedule = try Schedule.parse(text)
        guard case .every(let duration) = schedule else {
            Issue.record("not an every schedule")
            return
        }
        let start = Self.utc("2026-03-29T00:00:13Z")
        let slots = schedule.slots(
            after: start,
            through: start.addingTimeInterval(4 * duration.seconds),
            in: Self.london
        )
        #expect(slots.count == 4)
        for slot in slots {
            #expect(Int64(slot.timeIntervalSince1970 * 1000) % duration.milliseconds == 0)
        }
        // The same slots whatever the time zone.
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        #expect(
            schedule.slots(after: start, through: start.addingTimeInterval(4 * duration.seconds), in: tokyo) == slots
        )
    }

    @Test func latestAndNextSlotsBracketAnInstant() throws {
        let schedule = try Schedule.parse("0 2 * * *")
        let now = Self.utc("2026-07-01T12:00:00Z")
        #expect(Self.texts([schedule.latestSlot(atOrBefore: now, in: Self.london)!]) == ["2026-07-01T01:00:00Z"])
        #expect(Self.texts([schedule.nextSlot(after: now, in: Self.london)!]) == ["2026-07-02T01:00:00Z"])
    }

    @Test(arguments: [
        ("* * * *", "5 fields"), ("61 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day of month"),
        ("* * * 13 *", "month"), ("* * * * 8", "weekday"), ("*/0 * * * *", "step"), ("every 0s", "every"),
        ("every soon", "every"),
    ])
    func badSchedulesAreRefusedNamingTheField(text: String, expected: String) {
        #expect {
            try Schedule.parse(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func namesStepsAndListsParse() throws {
        let expression = try CronExpression("5/20 9-17 * jan,jul mon-fri")
        #expect(expression.minutes == [5, 25, 45])
        #expect(expression.hours == Set(9...17))
        #expect(expression.months == [1, 7])
        #expect(expression.weekdays == [1, 2, 3, 4, 5])
    }
}

@Suite("Slot planning and backoff")
struct SlotPlannerTests {
    @Test func regularTicksInsertEverySlotSinceTheLastTick() throws {
        let schedule = try Schedule.parse("every 1s")
        let last = Date(timeIntervalSince1970: 1_000)
        let slots = SlotPlanner.slots(for: schedule, lastTick: last, now: last.addingTimeInterval(2.5), in: .gmt)
        #expect(slots.map(\.timeIntervalSince1970) == [1_001, 1_002])
    }

    @Test func afterAnOutageOnlyTheLatestSlotIsCaughtUp() throws {
        let schedule = try Schedule.parse("every 1min")
        let last = Date(timeIntervalSince1970: 6_000)
        let slots = SlotPlanner.slots(for: schedule, lastTick: last, now: last.addingTimeInterval(3_600 + 30), in: .gmt)
        #expect(slots.map(\.timeIntervalSince1970) == [9_600])
        let first = SlotPlanner.slots(for: schedule, lastTick: nil, now: Date(timeIntervalSince1970: 6_059), in: .gmt)
        #expect(first.map(\.timeIntervalSince1970) == [6_000])
    }

    @Test(arguments: [(1, 5.0), (2, 10.0), (3, 20.0), (10, 300.0)])
    func backoffDoublesUpToItsCap(attempt: Int, full: Double) {
        let base = ConfigDuration(seconds: 5)
        let cap = ConfigDuration(seconds: 300)
        #expect(Backoff.delay(attempt: attempt, base: base, cap: cap, jitter: 1) == full)
        #expect(Backoff.delay(attempt: attempt, base: base, cap: cap, jitter: 0) == full / 2)
    }

    @Test(arguments: [
        ("30s", 30_000), ("5min", 300_000), ("2h", 7_200_000), ("7d", 604_800_000), ("2w", 1_209_600_000),
        ("500ms", 500),
    ])
    func durationsParse(text: String, milliseconds: Int64) {
        let duration = ConfigDuration(text)
        #expect(duration?.milliseconds == milliseconds)
        // The description is the largest whole unit, and reads back as the same duration.
        #expect(duration.flatMap { ConfigDuration($0.description) } == duration)
    }

    @Test(arguments: ["", "5", "-5s", "5 minutes", "1.5h", "s"])
    func badDurationsAreRefused(text: String) {
        #expect(ConfigDuration(text) == nil)
    }
}
