/// An English school year, which runs from 1 September to 31 August; named by the calendar year it starts in.
public struct AcademicYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The calendar year in which the academic year starts on 1 September, e.g. 2026 for 2026/27.
    public let startYear: Int

    /// The academic year starting on 1 September of `startYear`.
    public init(startYear: Int) {
        self.startYear = startYear
    }

    /// The academic year that `day` falls in: from 1 September onwards it is the year starting that September,
    /// before it the year that started the previous September.
    public init(containing day: Day) {
        self.startYear = day.month >= 9 ? day.year : day.year - 1
    }

    /// 1 September of ``startYear``.
    public var firstDay: Day { Day(year: startYear, month: 9, day: 1)! }

    /// 31 August of the following calendar year.
    public var lastDay: Day { Day(year: startYear + 1, month: 8, day: 31)! }

    /// The academic year `years` later (earlier when negative).
    public func adding(years: Int) -> AcademicYear {
        AcademicYear(startYear: startYear + years)
    }

    /// The usual written form, e.g. `2026/27`.
    public var description: String {
        let end = (startYear + 1) % 100
        return "\(startYear)/\(end < 10 ? "0" : "")\(end)"
    }

    public static func < (lhs: AcademicYear, rhs: AcademicYear) -> Bool {
        lhs.startYear < rhs.startYear
    }

    /// Decodes the start year as a number.
    public init(from decoder: any Decoder) throws {
        self.startYear = try decoder.singleValueContainer().decode(Int.self)
    }

    /// Encodes the start year as a number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(startYear)
    }
}
