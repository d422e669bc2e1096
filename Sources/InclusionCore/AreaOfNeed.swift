/// One of the four broad areas of need in the SEND Code of Practice (6.28–6.35); an outcome or an intervention
/// addresses one of them.
public enum AreaOfNeed: String, TextChoice, CustomStringConvertible {
    /// Cognition and learning.
    case cognitionLearning = "cognition-learning"
    /// Communication and interaction.
    case communicationInteraction = "communication-interaction"
    /// Social, emotional and mental health.
    case semh
    /// Sensory and/or physical needs.
    case sensoryPhysical = "sensory-physical"

    /// Words naming the choice in error messages.
    public static let choiceName = "an area of need"

    /// The command-line spelling.
    public var description: String { rawValue }
}
