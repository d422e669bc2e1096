/// `ehcp-review-meeting-unarranged` (warning), SEND Regulations 2014 reg 20: the last compliant day is within
/// `rules.ehcp-annual-review.arrange-meeting-weeks` (default 8) and no meeting later than the last review is
/// recorded. Due day: the last compliant day.
public enum EHCPReviewMeetingUnarranged {
    public static func evaluate(_ plan: PlanFacts, settings: RuleSettings, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf), plan.currentMeeting == nil else { return nil }
        let last = plan.lastCompliantDay
        guard asOf >= last.adding(weeks: -settings.arrangeMeetingWeeks) else { return nil }
        return Finding(.ehcpReviewMeetingUnarranged, .plan(plan.id), dueOn: last)
    }
}
