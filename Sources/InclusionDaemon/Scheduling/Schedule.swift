import Foundation
import InclusionCore

/// When a job runs: a cron expression in a time zone, or `every D` aligned to the Unix epoch so every instance
/// computes the same slots.
public enum Schedule: Hashable, Sendable, CustomStringConvertible {
    case cron(CronExpression)
    case every(ConfigDuration)

    /// Parses `every 30s` or a five-field cron expression.
    public static func parse(_ text: String) throws(CronExpression.ParseError) -> Schedule {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasPrefix("every ") {
            guard let duration = ConfigDuration(String(trimmed.dropFirst(6))), duration.milliseconds >= 1000 else {
                throw CronExpression.ParseError(
                    description: "'every' takes a duration of at least 1s, such as 30s, 5min, 2h, 1d"
                )
            }
            return .every(duration)
        }
        return .cron(try CronExpression(trimmed))
    }

    public var description: String {
        switch self {
        case .cron(let expression): return expression.description
        case .every(let duration): return "every \(duration)"
        }
    }

    /// The slots in `(after, through]`, in order, at most `limit` of them (the latest ones).
    public func slots(after: Date, through: Date, in timeZone: TimeZone, limit: Int = 1000) -> [Date] {
        guard through > after else { return [] }
        switch self {
        case .every(let duration):
            let step = duration.milliseconds
            let lastIndex = Int64((through.timeIntervalSince1970 * 1000).rounded(.down)) / step
            var firstIndex = Int64((after.timeIntervalSince1970 * 1000).rounded(.down)) / step + 1
            firstIndex = max(firstIndex, lastIndex - Int64(limit) + 1)
            guard firstIndex <= lastIndex else { return [] }
            return (firstIndex...lastIndex).map { Date(timeIntervalSince1970: Double($0 * step) / 1000) }
        case .cron(let expression):
            var found: [Date] = []
            var day = Day(date: through, timeZone: timeZone)
            let stop = Day(date: after, timeZone: timeZone).adding(days: -1)
            // Walk back from the last day, so the limit keeps the latest slots.
            while day >= stop && found.count < limit {
                let slots = Self.slots(of: expression, on: day, in: timeZone).filter { $0 > after && $0 <= through }
                found.insert(contentsOf: slots, at: 0)
                day = day.adding(days: -1)
            }
            return Array(Set(found)).sorted().suffix(limit)
        }
    }

    /// The latest slot at or before `date`, looking back at most `lookBackDays`.
    public func latestSlot(atOrBefore date: Date, in timeZone: TimeZone, lookBackDays: Int = 400) -> Date? {
        switch self {
        case .every:
            return slots(after: date.addingTimeInterval(-400 * 86_400), through: date, in: timeZone, limit: 1).last
        case .cron(let expression):
            var day = Day(date: date, timeZone: timeZone)
            for _ in 0...lookBackDays {
                if let slot = Self.slots(of: expression, on: day, in: timeZone).last(where: { $0 <= date }) {
                    return slot
                }
                day = day.adding(days: -1)
            }
            return nil
        }
    }

    /// The first slot after `date`.
    public func nextSlot(after date: Date, in timeZone: TimeZone, lookAheadDays: Int = 400) -> Date? {
        switch self {
        case .every(let duration):
            let step = duration.milliseconds
            let index = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) / step + 1
            return Date(timeIntervalSince1970: Double(index * step) / 1000)
        case .cron(let expression):
            var day = Day(date: date, timeZone: timeZone)
            for _ in 0...lookAheadDays {
                if let slot = Self.slots(of: expression, on: day, in: timeZone).first(where: { $0 > date }) {
                    return slot
                }
                day = day.adding(days: 1)
            }
            return nil
        }
    }

    /// The instants a cron expression fires on one local day. A local time that a DST change skips runs at the end
    /// of the gap; one that it repeats runs at its first occurrence.
    static func slots(of expression: CronExpression, on day: Day, in timeZone: TimeZone) -> [Date] {
        guard expression.runs(month: day.month, day: day.day, weekday: day.weekday) else { return [] }
        var instants = Set<Date>()
        for time in expression.timesOfDay {
            instants.insert(day.instant(hour: time.hour, minute: time.minute, in: timeZone))
        }
        return instants.sorted()
    }
}

extension Day {
    /// The instant this day's local `hour:minute` happens in `timeZone`: the first occurrence of a repeated time,
    /// the end of the gap for a skipped one.
    func instant(hour: Int, minute: Int, in timeZone: TimeZone) -> Date {
        let wall = Double(daysSinceEpoch * 86_400 + hour * 3600 + minute * 60)
        // The offsets in force a day either side cover every offset that can apply to this wall time.
        let offsets = Set(
            [-86_400.0, 0, 86_400].map { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + $0)) }
        )
        let candidates = offsets.map { Date(timeIntervalSince1970: wall - Double($0)) }
            .filter { Double(timeZone.secondsFromGMT(for: $0)) == wall - $0.timeIntervalSince1970 }
        if let first = candidates.min() { return first }
        // A skipped time: run when the gap ends, at the transition itself.
        let before = Date(timeIntervalSince1970: wall - Double(offsets.max() ?? 0) - 86_400)
        return timeZone.nextDaylightSavingTimeTransition(after: before) ?? Date(timeIntervalSince1970: wall)
    }
}
