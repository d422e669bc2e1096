/// The values of the `rules.*` configuration keys, with DESIGN §4's defaults.
public struct RuleSettings: Sendable, Hashable {
    /// `rules.plan-review-due.days-ahead`: school days before a SEN support review that it is announced.
    public var planReviewDaysAhead = 14
    /// `rules.ehcp-annual-review.days-ahead`: calendar days before the last compliant day.
    public var ehcpDaysAhead = 70
    /// `rules.ehcp-annual-review.arrange-meeting-weeks`.
    public var arrangeMeetingWeeks = 8
    /// `rules.ehcp-early-years-review.cycle`, in months.
    public var earlyYearsCycleMonths = 6
    /// `rules.intervention-delivery-lapsed.school-days`.
    public var lapsedSchoolDays = 10
    /// `rules.intervention-low-delivery.min-rate`.
    public var minimumDeliveryRate = 0.75
    /// `rules.sen-without-plan.grace-days`.
    public var senGraceDays = 28
    /// `rules.case-stale.days`.
    public var caseStaleDays = 28

    public init() {}
}
