/// The one definition of a school day (DESIGN §4): a Monday to Friday inside one of the school's terms and outside
/// its closures; the gaps between terms (and the days before its first term) are holidays; days after its last
/// recorded term (every day, when it has none) count Monday to Friday, and the school gets `term-dates-missing`.
///
/// School days apply to the SEN support and intervention rules only; EHC plan and phase-transfer clocks are in
/// calendar days, as the Regulations are.
public struct SchoolCalendar: Sendable, Hashable {
    /// The terms, in order of their first day.
    public let terms: [TermDates]
    /// Closures (INSET days, half-term breaks, bank holidays), each inside a term, both ends included.
    public let closures: [ClosedRange<Day>]

    public init(terms: [TermDates], closures: [ClosedRange<Day>] = []) {
        self.terms = terms.sorted { $0.first < $1.first }
        self.closures = closures
    }

    /// The last day of the last recorded term, if any.
    public var lastTermDay: Day? { terms.map(\.last).max() }

    /// True when `day` is a school day.
    public func isSchoolDay(_ day: Day) -> Bool {
        guard !day.isWeekend else { return false }
        guard let last = lastTermDay, day <= last else { return true }
        return terms.contains { $0.contains(day) } && !closures.contains { $0.contains(day) }
    }

    /// The school days strictly after `start` and strictly before `end` (none when `end` is not after `start`).
    public func schoolDays(after start: Day, before end: Day) -> Int {
        var count = 0
        var day = start.adding(days: 1)
        while day < end {
            if isSchoolDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The school days from `first` to `last`, both included.
    public func schoolDays(from first: Day, through last: Day) -> Int {
        schoolDays(after: first.adding(days: -1), before: last.adding(days: 1))
    }

    /// The `count` school days before `day` (not including it), latest first, stopping at `earliest`.
    public func schoolDays(_ count: Int, before day: Day, notBefore earliest: Day) -> [Day] {
        var found: [Day] = []
        var cursor = day.adding(days: -1)
        while found.count < count && cursor >= earliest {
            if isSchoolDay(cursor) { found.append(cursor) }
            cursor = cursor.adding(days: -1)
        }
        return found
    }

    /// True when the school's term dates run out before `day` (or it has none): `term-dates-missing`.
    public func termDatesMissing(on day: Day) -> Bool {
        guard let last = lastTermDay else { return true }
        return day > last
    }
}
