/// `ehcp-review-decision-late` (warning), SEND Regulations 2014 reg 20(10): the local authority's decision (keep,
/// amend, cease) is not recorded within 4 weeks of the meeting; the school chases the LA. Due day: the meeting plus
/// 28 days.
public enum EHCPReviewDecisionLate {
    public static let decisionDays = 28

    public static func evaluate(_ plan: PlanFacts, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf), let meeting = plan.meetingOn, meeting <= asOf
        else { return nil }
        let lastDay = meeting.adding(days: decisionDays)
        guard asOf > lastDay, (plan.decisionOn.map { $0 < meeting } ?? true) else { return nil }
        return Finding(.ehcpReviewDecisionLate, .plan(plan.id), dueOn: lastDay)
    }
}
