/// A five-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`; months and weekdays also take
/// three-letter names (`jan`, `mon`); weekday 0 and 7 are both Sunday. As in Vixie cron, when both day of month
/// and day of week are restricted, a day matching either runs.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public let weekdays: Set<Int>
    let dayOfMonthRestricted: Bool
    let weekdayRestricted: Bool
    public let description: String

    /// Why an expression could not be read.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(
                description: "a cron schedule has 5 fields (minute hour day month weekday), not \(fields.count)"
            )
        }
        minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [:])
        hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [:])
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31, names: [:])
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames)
        let cronWeekdays = try Self.field(fields[4], name: "weekday", range: 0...7, names: Self.weekdayNames)
        weekdays = Set(cronWeekdays.map { $0 == 0 ? 7 : $0 })
        dayOfMonthRestricted = fields[2] != "*"
        weekdayRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]
    static let weekdayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    static func field(
        _ text: String,
        name: String,
        range: ClosedRange<Int>,
        names: [String: Int]
    ) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(description: "\(name): '\(part)' has more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else {
                    throw ParseError(description: "\(name): the step after '/' must be a positive number")
                }
                step = value
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let low = value(bounds[0], names),
                    let high = bounds.count == 2 ? value(bounds[1], names) : low
                else { throw ParseError(description: "\(name): '\(part)' is not a number, range or name") }
                guard range.contains(low), range.contains(high), low <= high else {
                    throw ParseError(
                        description: "\(name): '\(part)' is outside \(range.lowerBound)-\(range.upperBound)"
                    )
                }
                // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
                span = pieces.count == 2 && bounds.count == 1 ? low...range.upperBound : low...high
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    static func value(_ text: Substring, _ names: [String: Int]) -> Int? {
        Int(text) ?? names[String(text)]
    }

    /// Whether a local calendar day (ISO weekday 1…7) is one the expression runs on.
    func runs(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (dayOfMonthRestricted, weekdayRestricted) {
        case (true, true): return daysOfMonth.contains(day) || weekdays.contains(weekday)
        case (true, false): return daysOfMonth.contains(day)
        case (false, true): return weekdays.contains(weekday)
        case (false, false): return true
        }
    }

    /// The (hour, minute) pairs of a running day, in order.
    var timesOfDay: [(hour: Int, minute: Int)] {
        hours.sorted().flatMap { hour in minutes.sorted().map { (hour, $0) } }
    }
}
