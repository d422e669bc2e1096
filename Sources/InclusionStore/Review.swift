import InclusionCore

/// A review of a plan or an intervention, as `plan show` lists it.
public struct Review: Codable, Sendable, Equatable {
    public let id: Int64
    public let plan: Int64?
    public let intervention: Int64?
    public let heldOn: Day
    public let parentAttended: Bool
    public let pupilViews: String?
    public let parentViews: String?
    public let outcome: ReviewOutcome?
    public let notes: String?
    /// The login that recorded it.
    public let recordedBy: String

    enum CodingKeys: String, CodingKey {
        case id, plan, intervention, outcome, notes
        case heldOn = "held_on"
        case parentAttended = "parent_attended"
        case pupilViews = "pupil_views"
        case parentViews = "parent_views"
        case recordedBy = "recorded_by"
    }
}

/// What a review is of.
public enum ReviewSubject: Sendable, Equatable {
    case plan(Int64)
    case intervention(Int64)
}
