import InclusionCore

/// A SEN support plan or an EHC plan, as `plan show` prints it (DESIGN §8's plan shape).
public struct SupportPlan: Codable, Sendable, Equatable {
    public let id: Int64
    public let upn: String
    public let schoolURN: Int
    public let kind: PlanKind
    public let status: PlanStatus
    public let starts: Day
    public let reviewEvery: ReviewCycle
    public let lastReviewed: Day?
    public let nextReviewDue: Day?
    public let closedOn: Day?
    public let closeReason: String?
    // EHC plans only.
    public let issuingLA: String?
    public let issued: Day?
    public let reviewMeetingOn: Day?
    public let invitationsSentOn: Day?
    public let reportSentOn: Day?
    /// The local authority's decision after the current review's meeting (reg 20(10)), and its day.
    public let laDecision: LADecision?
    public let laDecisionOn: Day?
    /// The day the local authority proposed amendments (reg 22(2)) and the day it issued the amended plan.
    public let amendmentsProposedOn: Day?
    public let amendedIssuedOn: Day?
    /// Outcomes, oldest first.
    public let outcomes: [PlanOutcome]
    /// Reviews held, oldest first.
    public let reviews: [Review]

    enum CodingKeys: String, CodingKey {
        case id, upn, kind, status, starts, issued, outcomes, reviews
        case schoolURN = "school_urn"
        case reviewEvery = "review_every"
        case lastReviewed = "last_reviewed"
        case nextReviewDue = "next_review_due"
        case closedOn = "closed_on"
        case closeReason = "close_reason"
        case issuingLA = "issuing_la"
        case reviewMeetingOn = "review_meeting_on"
        case invitationsSentOn = "invitations_sent_on"
        case reportSentOn = "report_sent_on"
        case laDecision = "la_decision"
        case laDecisionOn = "la_decision_on"
        case amendmentsProposedOn = "amendments_proposed_on"
        case amendedIssuedOn = "amended_issued_on"
    }
}

/// A SMART outcome of a plan, in one of the four broad areas of need.
public struct PlanOutcome: Codable, Sendable, Equatable {
    public let id: Int64
    public let area: AreaOfNeed
    public let text: String
    /// The day it should be achieved by, if set.
    public let by: Day?
}
