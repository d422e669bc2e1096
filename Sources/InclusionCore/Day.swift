/// A calendar date in the proleptic Gregorian calendar, with no time of day and no time zone.
///
/// School rules count whole days (a review due on D is overdue from D+1), so dates are values of their own rather
/// than instants. Arithmetic goes through ``daysSinceEpoch`` (1970-01-01 is day 0), computed with Howard Hinnant's
/// days-from-civil algorithm, which is exact for every year.
///
/// The text form is ISO 8601, `YYYY-MM-DD`; that is also how a `Day` is encoded. Years outside 1…9999 can arise
/// from arithmetic but have no four-digit text form, so they do not survive an encode/decode round trip.
public struct Day: Hashable, Sendable {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1 (January) … 12 (December).
    public let month: Int
    /// The day of the month, 1 … 31.
    public let day: Int

    /// Creates the date, or nil when there is no such day (month 13, 31 April, 29 February in a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysInMonth(year: year, month: month) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses ISO text, `YYYY-MM-DD`, as used in JSON and by ``description``.
    public init(iso text: String) throws(ValidationError) {
        if let day = Day.exactISO(text) {
            self = day
            return
        }
        guard let parts = Day.numbers(in: text, separator: "-", digits: [4...4, 2...2, 2...2]) else {
            throw ValidationError(field: "date", message: "is not a date in the form YYYY-MM-DD, e.g. 2026-09-01")
        }
        guard let day = Day(year: parts[0], month: parts[1], day: parts[2]) else {
            throw ValidationError(field: "date", message: Day.impossibleDateMessage)
        }
        self = day
    }

    /// `YYYY-MM-DD` read byte by byte, nil for anything else (then ``init(iso:)`` says why): the text form of every
    /// `date` the database sends, decoded hundreds of thousands of times in a sweep.
    private static func exactISO(_ text: String) -> Day? {
        var text = text
        return text.withUTF8 { bytes -> Day? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return Day(year: year, month: month, day: day)
        }
    }

    /// Creates the day that is `days` days after 1970-01-01 (negative for earlier days).
    public init(daysSinceEpoch days: Int) {
        // civil_from_days: shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    }

    /// The years a date typed by a person or read from a file may fall in (see ``parse(_:field:)``).
    public static let acceptedYears = 1900...2100

    /// Parses a date typed by a person or exported by a school MIS: ISO `YYYY-MM-DD`, or UK style `DD/MM/YYYY`
    /// (also `D/M/YYYY`). Surrounding whitespace is ignored.
    ///
    /// Only years 1900 to 2100 (``acceptedYears``) are accepted: every date this project records (a birth, a plan's
    /// start, a note) lies between them, and a year such as 0001 or 99999 is a typing slip that PostgreSQL's date
    /// arithmetic would otherwise meet far from the field it came from.
    ///
    /// - Throws: a ``ValidationError`` for `field` when the text is not in either form, names a day that does not
    ///   exist, such as 31/02/2025, or lies outside ``acceptedYears``.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> Day {
        let trimmed = text.trimmingWhitespace()
        let parts: [Int]
        if trimmed.isEmpty {
            throw ValidationError(field: field, message: "is empty; give a date as YYYY-MM-DD or DD/MM/YYYY")
        } else if let iso = numbers(in: trimmed, separator: "-", digits: [4...4, 2...2, 2...2]) {
            parts = iso
        } else if numbers(in: trimmed, separator: "-", digits: [5...9, 2...2, 2...2]) != nil {
            // A year of five or more digits: a date in the right form, far out of range.
            throw outOfRange(field: field)
        } else if let uk = numbers(in: trimmed, separator: "/", digits: [1...2, 1...2, 4...4]) {
            parts = [uk[2], uk[1], uk[0]]
        } else {
            throw ValidationError(
                field: field,
                message: "is not a date; write it as YYYY-MM-DD (2026-09-01) or DD/MM/YYYY (01/09/2026)"
            )
        }
        guard acceptedYears.contains(parts[0]) else {
            throw outOfRange(field: field)
        }
        guard let day = Day(year: parts[0], month: parts[1], day: parts[2]) else {
            throw ValidationError(field: field, message: impossibleDateMessage)
        }
        return day
    }

    /// Days since 1970-01-01 (which is day 0); negative before it.
    public var daysSinceEpoch: Int {
        // days_from_civil: count from 0000-03-01 in 400-year eras of 146,097 days.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The ISO weekday: 1 is Monday … 7 is Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let fromMonday = ((daysSinceEpoch + 3) % 7 + 7) % 7
        return fromMonday + 1
    }

    /// True for Saturday and Sunday.
    public var isWeekend: Bool { weekday >= 6 }

    /// The day `days` days later (earlier when negative).
    public func adding(days: Int) -> Day {
        Day(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The day `weeks` weeks later (earlier when negative).
    public func adding(weeks: Int) -> Day {
        adding(days: weeks * 7)
    }

    /// The same day of the month `months` months later (earlier when negative), clamped to the end of a shorter
    /// month: 31 January + 1 month is 28 February (29 in a leap year).
    public func adding(months: Int) -> Day {
        let total = year * 12 + (month - 1) + months
        let newYear = total >= 0 ? total / 12 : (total - 11) / 12
        let newMonth = total - newYear * 12 + 1
        let newDay = min(day, Day.daysInMonth(year: newYear, month: newMonth))
        return Day(unchecked: newYear, newMonth, newDay)
    }

    /// The number of days from this day to `other`: positive when `other` is later.
    public func days(to other: Day) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    /// The first day of this day's month.
    public var firstOfMonth: Day { Day(unchecked: year, month, 1) }

    /// The last day of this day's month.
    public var lastOfMonth: Day { Day(unchecked: year, month, Day.daysInMonth(year: year, month: month)) }

    /// True when `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in a month (1…12) of a year; 0 for a month outside 1…12.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static func outOfRange(field: String) -> ValidationError {
        ValidationError(
            field: field,
            message: "has a year outside \(acceptedYears.lowerBound) to \(acceptedYears.upperBound); check the year"
        )
    }

    private static let impossibleDateMessage =
        "is not a real calendar date (the day does not exist in that month, as with 31/02); check the day and month"

    /// Splits ASCII text into numbers separated by `separator`, each with an allowed count of digits; nil if the
    /// text has any other shape.
    private static func numbers(in text: String, separator: Character, digits: [ClosedRange<Int>]) -> [Int]? {
        let groups = text.utf8.split(separator: separator.asciiValue!, omittingEmptySubsequences: false)
        guard groups.count == digits.count else {
            return nil
        }
        var values: [Int] = []
        for (group, allowed) in zip(groups, digits) {
            guard allowed.contains(group.count),
                group.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else {
                return nil
            }
            values.append(group.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
        }
        return values
    }
}

extension Day: Comparable {
    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension Day: CustomStringConvertible {
    /// ISO 8601 text, `YYYY-MM-DD`.
    public var description: String {
        let yearText = String(abs(year))
        let sign = year < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-"
            + Day.twoDigits(month) + "-" + Day.twoDigits(day)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

extension Day: Codable {
    /// Decodes ISO text, `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Day(iso: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes ISO text, `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
