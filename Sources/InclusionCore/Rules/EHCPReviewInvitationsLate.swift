/// `ehcp-review-invitations-late` (warning), SEND Regulations 2014 reg 20(3), at least two weeks' notice: a
/// meeting is recorded, fewer than 14 days remain before it and no invitations are recorded; or invitations were
/// recorded fewer than 14 days before the meeting. Due day: the last day to invite (the meeting minus 14 days).
public enum EHCPReviewInvitationsLate {
    public static let noticeDays = 14

    public static func evaluate(_ plan: PlanFacts, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf), let meeting = plan.currentMeeting else { return nil }
        let lastDayToInvite = meeting.adding(days: -noticeDays)
        let invited = plan.invitationsSentOn.flatMap { $0 > (plan.lastReviewed ?? .distantPast) ? $0 : nil }
        if let invited {
            guard invited > lastDayToInvite else { return nil }
        } else {
            guard asOf > lastDayToInvite else { return nil }
        }
        return Finding(.ehcpReviewInvitationsLate, .plan(plan.id), dueOn: lastDayToInvite)
    }
}
