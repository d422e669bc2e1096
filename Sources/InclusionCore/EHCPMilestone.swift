/// The milestones of an EHC plan's current annual review (SEN and Disability Regulations 2014, regs 20–21).
public enum EHCPMilestone: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The review meeting is arranged for (or was held on) the day.
    case meeting
    /// Invitations went out (at least two weeks before the meeting).
    case invitationsSent = "invitations-sent"
    /// The review report went to the local authority (within two weeks of the meeting).
    case reportSent = "report-sent"
    /// The local authority proposed amendments to the plan (reg 22(2)).
    case amendmentsProposed = "amendment-proposed"
    /// The local authority issued the amended plan (reg 22(3), within 8 weeks of the proposal).
    case amendedIssued = "amended-issued"

    /// Words for messages: "the review meeting", "the invitations", "the review report".
    public var description: String {
        switch self {
        case .meeting: "the review meeting"
        case .invitationsSent: "the invitations"
        case .reportSent: "the review report"
        case .amendmentsProposed: "the proposed amendments"
        case .amendedIssued: "the amended plan"
        }
    }
}

/// The local authority's decision after an EHC plan's annual review meeting (SEND Regulations 2014 reg 20(10)):
/// keep the plan as it is, amend it, or cease to maintain it.
public enum LADecision: String, TextChoice, CustomStringConvertible {
    case keep
    case amend
    case cease

    /// Words naming the choice in error messages.
    public static let choiceName = "a local authority decision"

    public var description: String { rawValue }
}
