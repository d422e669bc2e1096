/// What the rules know of a pupil: ids, dates and statuses only.
public struct PupilFacts: Sendable, Hashable {
    public var id: Int64
    public var dateOfBirth: Day
    public var senStatus: SENStatus
    /// The day the status last became K or E.
    public var senStatusSince: Day?
    public var leftOn: Day?

    public init(id: Int64, dateOfBirth: Day, senStatus: SENStatus, senStatusSince: Day? = nil, leftOn: Day? = nil) {
        self.id = id
        self.dateOfBirth = dateOfBirth
        self.senStatus = senStatus
        self.senStatusSince = senStatusSince
        self.leftOn = leftOn
    }

    /// Leavers raise nothing (DESIGN §4): a pupil who left on or before the as-of day.
    public func hasLeft(by day: Day) -> Bool { leftOn.map { $0 <= day } ?? false }
}

/// What the plan rules know of one active plan. For an EHC plan, the milestones are those of its current review.
public struct PlanFacts: Sendable, Hashable {
    public var id: Int64
    public var pupil: PupilFacts
    public var kind: PlanKind
    public var starts: Day
    /// The SEN support plan's next review (moved on when a review is recorded, and when term dates change).
    public var nextReviewDue: Day
    /// The latest review held (an EHC plan's annual review meeting).
    public var lastReviewed: Day?
    public var issuedOn: Day?
    public var meetingOn: Day?
    public var invitationsSentOn: Day?
    public var reportSentOn: Day?
    public var decisionOn: Day?
    public var amendmentsProposedOn: Day?
    public var amendedIssuedOn: Day?

    public init(id: Int64, pupil: PupilFacts, kind: PlanKind, starts: Day, nextReviewDue: Day) {
        self.id = id
        self.pupil = pupil
        self.kind = kind
        self.starts = starts
        self.nextReviewDue = nextReviewDue
    }

    /// The day the current EHCP review period started: the last review held, else the issue date, else the start.
    public var reviewBase: Day { lastReviewed ?? issuedOn ?? starts }

    /// The statutory last day of the current review (s44(1)): a review within the 12 months starting with the
    /// base day, so the anniversary minus one day.
    public var lastCompliantDay: Day { reviewBase.adding(months: 12).adding(days: -1) }

    /// The review meeting of the current cycle, if one later than the last review is recorded.
    public var currentMeeting: Day? {
        guard let meetingOn, meetingOn > (lastReviewed ?? .distantPast) else { return nil }
        return meetingOn
    }
}

/// What the intervention rules know of one intervention.
public struct InterventionFacts: Sendable, Hashable {
    public var id: Int64
    public var starts: Day
    public var ends: Day
    public var endedOn: Day?
    public var sessionsPerWeek: Double
    public var lastDelivered: Day?
    /// The days sessions were delivered recently (at least the last 20 school days before the as-of day).
    public var recentDeliveries: [Day]
    /// A review of the intervention is recorded.
    public var reviewed: Bool
    /// An exit measure is recorded for at least one pupil.
    public var exitMeasured: Bool
    /// Every pupil of the group has left.
    public var everyPupilLeft: Bool

    public init(id: Int64, starts: Day, ends: Day, sessionsPerWeek: Double) {
        self.id = id
        self.starts = starts
        self.ends = ends
        self.sessionsPerWeek = sessionsPerWeek
        self.recentDeliveries = []
        self.reviewed = false
        self.exitMeasured = false
        self.everyPupilLeft = false
    }

    /// The last day the intervention runs: the day it was ended, else its planned end.
    public var lastDay: Day { endedOn ?? ends }
}

extension Day {
    /// Earlier than any date the rules meet.
    public static let distantPast = Day(daysSinceEpoch: -100_000)
}
