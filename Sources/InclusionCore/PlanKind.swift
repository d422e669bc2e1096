/// The kind of support plan: school-based SEN support, or an education, health and care plan issued by the local
/// authority.
public enum PlanKind: String, TextChoice, CustomStringConvertible {
    /// A school's SEN support plan (assess, plan, do, review).
    case senSupport = "sen-support"
    /// An education, health and care plan issued by the local authority.
    case ehcp

    /// Words naming the choice in error messages.
    public static let choiceName = "a kind of plan"

    /// The command-line spelling.
    public var description: String { rawValue }
}
