/// `ehcp-early-years-review-due` (info). SEND Code of Practice 9.178 asks local authorities to consider reviewing
/// the EHC plan of a child under 5 every 3 to 6 months: fires when no review was held in the last
/// `rules.ehcp-early-years-review.cycle` (default 6 months) and the child is under 5 on that due day. Judged on the
/// child's age at the due day, never frozen when the plan was made. Due day: the base day plus the cycle.
public enum EHCPEarlyYearsReview {
    public static func evaluate(_ plan: PlanFacts, settings: RuleSettings, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf) else { return nil }
        let due = plan.reviewBase.adding(months: settings.earlyYearsCycleMonths)
        let fifthBirthday = plan.pupil.dateOfBirth.adding(months: 60)
        guard asOf >= due, due < fifthBirthday else { return nil }
        return Finding(.ehcpEarlyYearsReviewDue, .plan(plan.id), dueOn: due)
    }
}
