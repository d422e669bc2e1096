/// Whether a recorded need is the pupil's primary need or their secondary need (the census records at most one
/// of each).
public enum NeedRank: String, TextChoice, CustomStringConvertible {
    /// The main need.
    case primary
    /// The next most significant need.
    case secondary

    /// Words naming the choice in error messages.
    public static let choiceName = "a need rank"

    /// The JSON spelling.
    public var description: String { rawValue }
}
