/// Why a case about a pupil was opened.
public enum CaseCategory: String, TextChoice, CustomStringConvertible {
    /// A member of staff raised a concern.
    case concern
    /// A referral to or from another service.
    case referral
    /// A parent or carer asked for help.
    case parentRequest = "parent-request"
    /// An outside agency raised it.
    case agency

    /// Words naming the choice in error messages.
    public static let choiceName = "a case category"

    /// The command-line spelling.
    public var description: String { rawValue }
}
