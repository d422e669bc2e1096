/// A pupil's special educational needs provision type, as recorded in the school census.
public enum SENStatus: String, TextChoice, CustomStringConvertible {
    /// No special educational needs.
    case noSEN = "N"
    /// SEN support: the school's own provision, without an EHC plan.
    case senSupport = "K"
    /// An education, health and care plan.
    case ehcPlan = "E"

    /// Words naming the choice in error messages.
    public static let choiceName = "an SEN status (N, K or E)"

    /// The status in words: `no special educational needs`, `SEN support` or `EHC plan`.
    public var description: String {
        switch self {
        case .noSEN: "no special educational needs"
        case .senSupport: "SEN support"
        case .ehcPlan: "EHC plan"
        }
    }

    /// True for K and E: the pupil has special educational needs and should have needs and a plan recorded.
    public var hasSEN: Bool { self != .noSEN }
}
