/// The kind of entry in a case's chronology.
public enum NoteKind: String, TextChoice, CustomStringConvertible {
    /// A general note.
    case note
    /// A meeting held.
    case meeting
    /// Contact with a parent or carer.
    case parentContact = "parent-contact"
    /// Contact with an outside agency.
    case agencyContact = "agency-contact"
    /// An observation of the pupil.
    case observation

    /// Words naming the choice in error messages.
    public static let choiceName = "a kind of note"

    /// The command-line spelling.
    public var description: String { rawValue }
}
