extension AlertRuleName {
    /// What the alert means in a SENCO's words, for emails: plain, short, and naming no need, note or diagnosis
    /// (an email can be read over a shoulder or forwarded; the details are in `inclusionctl alert show`).
    public var plainWords: String {
        switch self {
        case .planReviewDue: "a support plan review is due"
        case .planReviewOverdue: "a support plan review is overdue"
        case .ehcpAnnualReviewDue: "an EHC plan annual review is due"
        case .ehcpAnnualReviewOverdue: "an EHC plan annual review is overdue"
        case .ehcpEarlyYearsReviewDue: "an early-years EHC plan review is due"
        case .ehcpReviewMeetingUnarranged: "an annual review meeting is not yet arranged"
        case .ehcpReviewInvitationsLate: "annual review invitations are late"
        case .ehcpReviewReportLate: "an annual review report to the local authority is late"
        case .ehcpReviewDecisionLate: "the local authority's review decision is late"
        case .ehcpAmendmentLate: "an amended EHC plan is late"
        case .phaseTransferDeadline: "a phase transfer deadline is coming"
        case .interventionEndedUnreviewed: "an intervention ended without a review"
        case .interventionDeliveryLapsed: "an intervention has had no sessions lately"
        case .interventionLowDelivery: "an intervention is getting fewer sessions than planned"
        case .senWithoutPlan: "a pupil on SEN support has no active plan"
        case .planWithoutProvision: "a plan has no intervention running"
        case .caseStale: "a case has had no notes lately"
        case .termDatesMissing: "the school's term dates are missing"
        }
    }

    /// Whether the alert announces something coming (a review or deadline ahead) rather than a lapse that has
    /// already happened: the digest lists these under "due this week".
    public var announcesDue: Bool {
        switch self {
        case .planReviewDue, .ehcpAnnualReviewDue, .ehcpEarlyYearsReviewDue, .phaseTransferDeadline: true
        default: false
        }
    }
}
