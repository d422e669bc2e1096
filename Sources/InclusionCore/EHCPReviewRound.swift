/// The dates of an EHC plan's current annual review round and the local authority's part after it (SEN and
/// Disability Regulations 2014, regs 20–22), and the one set of rules for recording each of them: the state machine
/// behind `review meeting`, `review invitations-sent`, `review report-sent`, `review decision`,
/// `review amendment-proposed` and `review amended-issued`. Pure: the store reads the plan's row (locked), calls one
/// of the `record` functions and writes the round back.
public struct EHCPReviewRound: Sendable, Equatable {
    /// The review meeting, arranged for or held on.
    public var meeting: Day?
    /// Invitations went out (at least two weeks before the meeting).
    public var invitations: Day?
    /// The review report went to the local authority (within two weeks of the meeting).
    public var report: Day?
    /// The local authority's decision (keep, amend, cease) and the day it was made.
    public var decision: LADecision?
    public var decisionOn: Day?
    /// The local authority proposed amendments, and issued the amended plan.
    public var amendmentsProposed: Day?
    public var amendedIssued: Day?

    public init(
        meeting: Day? = nil,
        invitations: Day? = nil,
        report: Day? = nil,
        decision: LADecision? = nil,
        decisionOn: Day? = nil,
        amendmentsProposed: Day? = nil,
        amendedIssued: Day? = nil
    ) {
        self.meeting = meeting
        self.invitations = invitations
        self.report = report
        self.decision = decision
        self.decisionOn = decisionOn
        self.amendmentsProposed = amendmentsProposed
        self.amendedIssued = amendedIssued
    }

    /// Records one milestone on `day`, as of `today`; `plan` is the plan's id, for the words of an error.
    ///
    /// - A meeting later than the day the last report was sent starts the next round: the previous round's
    ///   invitation and report dates, the local authority's decision and the amendment dates are cleared, so the
    ///   next round's deadlines are watched afresh. A meeting may be in the future (it is arranged).
    /// - Everything else has happened: its day is not after `today`.
    /// - Invitations go out on or before the meeting; the report goes on or after it, and needs the meeting first.
    /// - A later proposal of amendments starts another amendment: an amended plan issued before it is not its
    ///   answer and is cleared. The amended plan is issued on or after the proposal, when one is recorded.
    public mutating func record(_ milestone: EHCPMilestone, on day: Day, today: Day, plan: Int64)
        throws(ValidationError)
    {
        if milestone != .meeting && day > today {
            throw ValidationError(
                field: "on",
                message: "the date is in the future; record \(milestone) once it has happened"
            )
        }
        switch milestone {
        case .meeting:
            if let sent = report, day > sent { startNext() }
            meeting = day
        case .invitationsSent:
            if let meeting, day > meeting {
                throw ValidationError(field: "on", message: "invitations go out before the review meeting (\(meeting))")
            }
            invitations = day
        case .reportSent:
            guard let meeting else {
                throw ValidationError(
                    field: "plan",
                    message: "record the review meeting first: inclusionctl review meeting --plan \(plan) --on DATE"
                )
            }
            guard day >= meeting else {
                throw ValidationError(
                    field: "on",
                    message: "the report cannot go before the review meeting (\(meeting))"
                )
            }
            report = day
        case .amendmentsProposed:
            amendmentsProposed = day
            if let issued = amendedIssued, issued < day { amendedIssued = nil }
        case .amendedIssued:
            if let proposed = amendmentsProposed, day < proposed {
                throw ValidationError(
                    field: "on",
                    message: "the amended plan cannot be issued before the amendments were proposed (\(proposed))"
                )
            }
            amendedIssued = day
        }
    }

    /// Records the local authority's decision after the review meeting (reg 20(10)) and the day it was made: not
    /// after `today`, and not before the current round's meeting when one is recorded.
    public mutating func record(_ decision: LADecision, on day: Day, today: Day) throws(ValidationError) {
        guard day <= today else {
            throw ValidationError(
                field: "on",
                message: "the date is in the future; record the LA's decision once it is made"
            )
        }
        if let meeting, day < meeting {
            throw ValidationError(
                field: "on",
                message: "the LA decides after the review meeting (\(meeting)); give a day on or after it"
            )
        }
        self.decision = decision
        decisionOn = day
    }

    /// Clears the previous round's dates after its report, so the next round is watched afresh.
    public mutating func startNext() {
        invitations = nil
        report = nil
        decision = nil
        decisionOn = nil
        amendmentsProposed = nil
        amendedIssued = nil
    }
}
