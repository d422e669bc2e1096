/// A national curriculum year group, `N1`, `N2`, `R`, `1` … `14`, as recorded in the school census.
///
/// A pupil's year group normally follows from their date of birth (``expected(dateOfBirth:in:)``); schools may
/// record another (a child taught out of year group), which is accepted with a warning.
public enum YearGroup: String, TextChoice, CustomStringConvertible {
    /// Nursery, first year (ordinal -2).
    case n1 = "N1"
    /// Nursery, second year (ordinal -1).
    case n2 = "N2"
    /// Reception (ordinal 0).
    case reception = "R"
    /// National curriculum year 1.
    case year1 = "1"
    /// National curriculum year 2.
    case year2 = "2"
    /// National curriculum year 3.
    case year3 = "3"
    /// National curriculum year 4.
    case year4 = "4"
    /// National curriculum year 5.
    case year5 = "5"
    /// National curriculum year 6.
    case year6 = "6"
    /// National curriculum year 7.
    case year7 = "7"
    /// National curriculum year 8.
    case year8 = "8"
    /// National curriculum year 9.
    case year9 = "9"
    /// National curriculum year 10.
    case year10 = "10"
    /// National curriculum year 11.
    case year11 = "11"
    /// National curriculum year 12.
    case year12 = "12"
    /// National curriculum year 13.
    case year13 = "13"
    /// National curriculum year 14.
    case year14 = "14"

    /// Words naming the choice in error messages.
    public static let choiceName = "a year group"

    /// The census spelling, e.g. `R` or `5`.
    public var description: String { rawValue }

    /// The year group as a number: N1 is -2, N2 is -1, R is 0, then 1 … 14.
    public var ordinal: Int {
        switch self {
        case .n1: -2
        case .n2: -1
        case .reception: 0
        default: Int(rawValue)!
        }
    }

    /// The year group with this ordinal (-2 … 14), or nil.
    public init?(ordinal: Int) {
        switch ordinal {
        case -2: self = .n1
        case -1: self = .n2
        case 0: self = .reception
        case 1...14: self.init(rawValue: String(ordinal))
        default: return nil
        }
    }

    /// The year group a child born on `dateOfBirth` is normally in during `academicYear`, or nil when that is
    /// outside N1 … 14.
    ///
    /// A child born from 1 September of year Y-5 to 31 August of year Y-4 starts Reception in September of year Y;
    /// each later academic year adds one, and the two nursery years come before Reception.
    public static func expected(dateOfBirth: Day, in academicYear: AcademicYear) -> YearGroup? {
        let receptionStart = AcademicYear(containing: dateOfBirth).startYear + 5
        return YearGroup(ordinal: academicYear.startYear - receptionStart)
    }

    /// A warning when this recorded year group is not the one the date of birth implies for `academicYear`, or nil
    /// when it matches. The record is still accepted (children are sometimes taught out of year group); the census
    /// check lists it.
    public func check(dateOfBirth: Day, academicYear: AcademicYear) -> String? {
        let expected = YearGroup.expected(dateOfBirth: dateOfBirth, in: academicYear)
        guard expected != self else {
            return nil
        }
        let expectation = expected.map { "expected \($0)" } ?? "that date of birth is outside N1 to 14"
        return "year group \(self) does not match the date of birth for \(academicYear) (\(expectation)); "
            + "accepted — the census check will list it"
    }
}
