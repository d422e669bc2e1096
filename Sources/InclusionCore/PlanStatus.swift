/// Where a support plan is in its life: a draft is not yet in force, an active plan drives reviews and alerts,
/// a closed plan is history.
public enum PlanStatus: String, TextChoice, CustomStringConvertible {
    /// Written but not yet in force; no reviews fall due.
    case draft
    /// In force; its reviews fall due.
    case active
    /// No longer in force; kept as history.
    case closed

    /// Words naming the choice in error messages.
    public static let choiceName = "a plan status"

    /// The command-line spelling.
    public var description: String { rawValue }
}
