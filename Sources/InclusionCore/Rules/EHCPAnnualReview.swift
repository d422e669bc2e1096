/// `ehcp-annual-review-due` (info) and `ehcp-annual-review-overdue` (critical). Children and Families Act 2014
/// s44(1): a review "within the period of 12 months starting with" the day the plan was issued or last reviewed, so
/// the last compliant day is the anniversary minus one day. Due from `rules.ehcp-annual-review.days-ahead` calendar
/// days (default 70) before it; overdue from the anniversary. Applies to every child whatever their age. Due day:
/// the last compliant day.
public enum EHCPAnnualReview {
    public static func evaluate(_ plan: PlanFacts, settings: RuleSettings, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf) else { return nil }
        let last = plan.lastCompliantDay
        if asOf > last {
            return Finding(.ehcpAnnualReviewOverdue, .plan(plan.id), dueOn: last)
        }
        guard asOf >= last.adding(days: -settings.ehcpDaysAhead) else { return nil }
        return Finding(.ehcpAnnualReviewDue, .plan(plan.id), dueOn: last)
    }
}
