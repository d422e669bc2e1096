import InclusionCore

extension RuleSettings {
    /// `rules.*` (DESIGN §4), each checked against its range, over these settings. Phase-transfer year groups and
    /// deadlines are per school, in the database (`inclusionctl school set --transfer`), not here.
    mutating func read(_ rules: ConfigScope) {
        planReviewDaysAhead = rules.int("plan-review-due.days-ahead", planReviewDaysAhead, 0...180)
        ehcpDaysAhead = rules.int("ehcp-annual-review.days-ahead", ehcpDaysAhead, 0...364)
        arrangeMeetingWeeks = rules.int("ehcp-annual-review.arrange-meeting-weeks", arrangeMeetingWeeks, 2...52)
        let cycle = "ehcp-early-years-review.cycle"
        if let text = rules.string(cycle) {
            let trimmed = text.trimmingWhitespace
            if trimmed.hasSuffix("m"), let months = Int(trimmed.dropLast()), (1...12).contains(months),
                trimmed.dropLast().allSatisfy(\.isASCIIDigit)
            {
                earlyYearsCycleMonths = months
            } else {
                rules.problem(cycle, "'\(text)' is not 1m to 12m (months, e.g. 6m)")
            }
        }
        lapsedSchoolDays = rules.int("intervention-delivery-lapsed.school-days", lapsedSchoolDays, 1...190)
        let rate = "intervention-low-delivery.min-rate"
        if let text = rules.string(rate) {
            if let value = Double(text.trimmingWhitespace), value.isFinite, value > 0, value <= 1 {
                minimumDeliveryRate = value
            } else {
                rules.problem(rate, "'\(text)' is not a number over 0 and at most 1 (e.g. 0.75)")
            }
        }
        senGraceDays = rules.int("sen-without-plan.grace-days", senGraceDays, 0...365)
        caseStaleDays = rules.int("case-stale.days", caseStaleDays, 1...365)
    }
}
