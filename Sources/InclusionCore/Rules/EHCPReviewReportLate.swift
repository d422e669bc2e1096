/// `ehcp-review-report-late` (critical), SEND Regulations 2014 reg 20(7): the meeting was held more than 14 days
/// ago and the report is not recorded as sent (to the LA and everyone invited). Due day: the meeting plus 14 days.
public enum EHCPReviewReportLate {
    public static let reportDays = 14

    public static func evaluate(_ plan: PlanFacts, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf), let meeting = plan.meetingOn, meeting <= asOf
        else { return nil }
        let lastDay = meeting.adding(days: reportDays)
        guard asOf > lastDay, (plan.reportSentOn.map { $0 < meeting } ?? true) else { return nil }
        return Finding(.ehcpReviewReportLate, .plan(plan.id), dueOn: lastDay)
    }
}
