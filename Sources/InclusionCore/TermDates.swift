/// One term of a school's calendar, inclusive of both ends (e.g. Autumn: 2026-09-03 to 2026-12-18).
public struct TermDates: Hashable, Sendable, Codable {
    /// The school's name for the term, e.g. "Autumn 2026".
    public var name: String
    /// The first day of the term.
    public var first: Day
    /// The last day of the term.
    public var last: Day

    /// A term from `first` to `last`, both included.
    public init(name: String, first: Day, last: Day) {
        self.name = name
        self.first = first
        self.last = last
    }

    /// True when `day` falls inside the term.
    public func contains(_ day: Day) -> Bool {
        first <= day && day <= last
    }
}
