/// The fields `pupil add` and `pupil set` write (nil leaves a field unchanged in `set`), and the one validation of
/// each that `pupil add`, `pupil set` and `pupil import` share: the same name, date-of-birth and key-worker rules
/// whichever way a pupil arrives.
public struct PupilFields: Sendable {
    public var givenName: String?
    public var familyName: String?
    public var dateOfBirth: Day?
    public var yearGroup: YearGroup?
    public var senStatus: SENStatus?
    public var eal: Bool?
    public var pupilPremium: Bool?
    public var lookedAfter: Bool?
    public var youngCarer: Bool?
    public var attendanceConcern: Bool?
    public var keyWorker: String?

    public init() {}

    /// The longest a given or family name may be.
    public static let maxNameLength = 100
    /// The oldest a pupil's date of birth may be, in years before today (post-16 and EHCPs run to age 25).
    public static let maxAgeYears = 25

    /// A given or family name: trimmed, at most ``maxNameLength`` characters, no control characters.
    public static func name(_ text: String, field: String) throws(ValidationError) -> String {
        try TextField.validate(text.trimmingWhitespace(), field: field, maxLength: maxNameLength)
    }

    /// A date of birth (YYYY-MM-DD or DD/MM/YYYY): not after `today`, and at most ``maxAgeYears`` before it.
    public static func dateOfBirth(_ text: String, field: String, today: Day) throws(ValidationError) -> Day {
        let day = try Day.parse(text, field: field)
        if day > today {
            throw ValidationError(field: field, message: "is in the future; check the date of birth")
        }
        if day < today.adding(months: -12 * maxAgeYears) {
            throw ValidationError(
                field: field,
                message: "is more than \(maxAgeYears) years ago, too old for a pupil; check the year"
            )
        }
        return day
    }
}
