/// `plan-review-due` (info) and `plan-review-overdue` (warning): an active SEN support plan's next review falls
/// within `rules.plan-review-due.days-ahead` school days (default 14), or has passed with no review held (recording a
/// review moves the next review on). EHC plans follow the `ehcp-*` rules only. Due day: the review's due date.
public enum PlanReviewDue {
    public static func evaluate(
        _ plan: PlanFacts,
        calendar: SchoolCalendar,
        settings: RuleSettings,
        asOf: Day
    ) -> Finding? {
        guard plan.kind == .senSupport, !plan.pupil.hasLeft(by: asOf) else { return nil }
        let due = plan.nextReviewDue
        if asOf > due {
            return Finding(.planReviewOverdue, .plan(plan.id), dueOn: due)
        }
        // School days from tomorrow up to and including the due day.
        let remaining = calendar.schoolDays(after: asOf, before: due.adding(days: 1))
        guard remaining <= settings.planReviewDaysAhead else { return nil }
        return Finding(.planReviewDue, .plan(plan.id), dueOn: due)
    }
}
