/// What `intervention add` records, checked as it is made: a name, dates in order, a sensible number and length of
/// sessions.
public struct InterventionFields: Sendable {
    public var name: String
    public var area: AreaOfNeed
    public var starts: Day
    public var ends: Day
    /// Sessions a week, more than 0 and at most 25, to two decimal places (0.5 is one session a fortnight).
    public var perWeek: Double
    /// Minutes a session, 1 … 600.
    public var minutes: Int
    public var costPerSession: Money?
    public var plan: Int64?
    public var baseline: String?
    public var target: String?

    /// The sessions a week and minutes a session it allows.
    public static let perWeekRange = 0.01...25.0
    public static let minutesRange = 1...600

    /// Creates the fields, refusing minutes outside 1…600, sessions a week outside (0, 25] and an end before the
    /// start, each error naming the command-line option.
    public init(
        name: String,
        area: AreaOfNeed,
        starts: Day,
        ends: Day,
        perWeek: Double,
        minutes: Int
    ) throws(ValidationError) {
        guard Self.perWeekRange.contains(perWeek) else { throw Self.perWeekError }
        guard Self.minutesRange.contains(minutes) else {
            throw ValidationError(field: "minutes", message: "a session lasts 1 to 600 minutes")
        }
        guard ends >= starts else {
            throw ValidationError(field: "ends", message: "the intervention ends before it starts")
        }
        self.name = name
        self.area = area
        self.starts = starts
        self.ends = ends
        self.perWeek = perWeek
        self.minutes = minutes
    }

    /// Parses sessions a week as typed: more than 0, at most 25, at most two decimal places ("3", "0.5").
    public static func parseSessionsPerWeek(_ text: String) throws(ValidationError) -> Double {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits, parts.count <= 2, parts[0].count <= 2, parts.count == 1 || parts[1].count <= 2,
            let value = Double(text), perWeekRange.contains(value)
        else { throw perWeekError }
        return value
    }

    static let perWeekError = ValidationError(
        field: "per-week",
        message: "give the sessions a week as a number above 0 and at most 25, e.g. 3 or 0.5 (fortnightly)"
    )
}
