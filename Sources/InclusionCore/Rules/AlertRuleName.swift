/// Every alert of DESIGN §4, by the name alerts, configuration and webhooks use.
public enum AlertRuleName: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case planReviewDue = "plan-review-due"
    case planReviewOverdue = "plan-review-overdue"
    case ehcpAnnualReviewDue = "ehcp-annual-review-due"
    case ehcpAnnualReviewOverdue = "ehcp-annual-review-overdue"
    case ehcpEarlyYearsReviewDue = "ehcp-early-years-review-due"
    case ehcpReviewMeetingUnarranged = "ehcp-review-meeting-unarranged"
    case ehcpReviewInvitationsLate = "ehcp-review-invitations-late"
    case ehcpReviewReportLate = "ehcp-review-report-late"
    case ehcpReviewDecisionLate = "ehcp-review-decision-late"
    case ehcpAmendmentLate = "ehcp-amendment-late"
    case phaseTransferDeadline = "phase-transfer-deadline"
    case interventionEndedUnreviewed = "intervention-ended-unreviewed"
    case interventionDeliveryLapsed = "intervention-delivery-lapsed"
    case interventionLowDelivery = "intervention-low-delivery"
    case senWithoutPlan = "sen-without-plan"
    case planWithoutProvision = "plan-without-provision"
    case caseStale = "case-stale"
    case termDatesMissing = "term-dates-missing"

    public var description: String { rawValue }

    /// The severity a new alert of this rule starts at (phase-transfer-deadline rises to critical on the same alert).
    public var severity: AlertSeverity {
        switch self {
        case .planReviewDue, .ehcpAnnualReviewDue, .ehcpEarlyYearsReviewDue, .caseStale: .info
        case .ehcpAnnualReviewOverdue, .ehcpReviewReportLate: .critical
        default: .warning
        }
    }

    /// Where the rule comes from.
    public var source: String {
        switch self {
        case .planReviewDue, .planReviewOverdue: "SEND Code of Practice 2015, 6.52-6.56 (assess, plan, do, review)"
        case .ehcpAnnualReviewDue, .ehcpAnnualReviewOverdue: "Children and Families Act 2014 s44(1)"
        case .ehcpEarlyYearsReviewDue: "SEND Code of Practice 2015, 9.178"
        case .ehcpReviewMeetingUnarranged: "SEND Regulations 2014 reg 20"
        case .ehcpReviewInvitationsLate: "SEND Regulations 2014 reg 20(3)"
        case .ehcpReviewReportLate: "SEND Regulations 2014 reg 20(7)"
        case .ehcpReviewDecisionLate: "SEND Regulations 2014 reg 20(10)"
        case .ehcpAmendmentLate: "SEND Regulations 2014 reg 22(3)"
        case .phaseTransferDeadline: "SEND Regulations 2014 regs 2 and 18(1)"
        case .interventionEndedUnreviewed, .interventionDeliveryLapsed, .interventionLowDelivery:
            "SEND Code of Practice 2015, 6.77-6.79 (interventions are delivered and reviewed)"
        case .senWithoutPlan, .planWithoutProvision: "SEND Code of Practice 2015, 6.44-6.48"
        case .caseStale: "the trust's own practice"
        case .termDatesMissing: "the school calendar every school-day rule needs"
        }
    }

    /// The configuration keys (under `rules.`) the rule reads, with their defaults.
    public var settings: [(key: String, defaultValue: String)] {
        switch self {
        case .planReviewDue: [("plan-review-due.days-ahead", "14")]
        case .ehcpAnnualReviewDue: [("ehcp-annual-review.days-ahead", "70")]
        case .ehcpReviewMeetingUnarranged: [("ehcp-annual-review.arrange-meeting-weeks", "8")]
        case .ehcpEarlyYearsReviewDue: [("ehcp-early-years-review.cycle", "6m")]
        case .interventionDeliveryLapsed: [("intervention-delivery-lapsed.school-days", "10")]
        case .interventionLowDelivery: [("intervention-low-delivery.min-rate", "0.75")]
        case .senWithoutPlan: [("sen-without-plan.grace-days", "28")]
        case .caseStale: [("case-stale.days", "28")]
        default: []
        }
    }
}
