/// What a review decided about a plan or an intervention.
public enum ReviewOutcome: String, TextChoice, CustomStringConvertible {
    /// Carry on as planned.
    case `continue`
    /// Carry on with changes.
    case amend
    /// Stop: the need is met or the support is not helping.
    case cease
    /// Step up, e.g. request an EHC needs assessment.
    case escalate

    /// Words naming the choice in error messages.
    public static let choiceName = "a review outcome"

    /// The command-line spelling.
    public var description: String { rawValue }
}
