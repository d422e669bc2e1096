/// A column of a `pupil import` CSV file; the raw value is its header name.
public enum PupilImportColumn: String, CaseIterable, Sendable, Codable {
    /// The Unique Pupil Number.
    case upn
    /// The pupil's given name.
    case givenName = "given_name"
    /// The pupil's family name.
    case familyName = "family_name"
    /// Date of birth, `YYYY-MM-DD` or `DD/MM/YYYY`.
    case dateOfBirth = "date_of_birth"
    /// National curriculum year group, `N1` … `14`.
    case yearGroup = "year_group"
    /// SEN status N, K or E; empty means N.
    case senStatus = "sen_status"
    /// Primary need census code, or empty.
    case primaryNeed = "primary_need"
    /// Secondary need census code, or empty.
    case secondaryNeed = "secondary_need"
    /// English as an additional language (yes/no).
    case eal
    /// Eligible for pupil premium (yes/no).
    case pupilPremium = "pupil_premium"
    /// Looked after by the local authority (yes/no).
    case lookedAfter = "looked_after"
    /// A young carer (yes/no).
    case youngCarer = "young_carer"

    /// True for the eight columns every import file must have; the four yes/no flags may be left out.
    public var isRequired: Bool {
        switch self {
        case .eal, .pupilPremium, .lookedAfter, .youngCarer: false
        default: true
        }
    }

    /// The columns every import file must have, in the documented order.
    public static var required: [PupilImportColumn] { allCases.filter(\.isRequired) }

    /// The optional yes/no columns, in the documented order.
    public static var optional: [PupilImportColumn] { allCases.filter { !$0.isRequired } }
}
