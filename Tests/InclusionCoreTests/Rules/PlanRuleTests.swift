import InclusionCore
import Testing

@Suite("Plan review rules")
struct PlanRuleTests {
    static let settings = RuleSettings()

    func senSupport(due: String) -> PlanFacts {
        PlanFacts(
            id: 3,
            pupil: pupil(sen: .senSupport),
            kind: .senSupport,
            starts: d("2025-09-08"),
            nextReviewDue: d(due)
        )
    }

    @Test func aSENSupportReviewIsDueFourteenSchoolDaysAheadAndOverdueTheDayAfter() {
        // Due Friday 12 December 2025: 14 school days ahead is from Monday 24 November.
        let plan = senSupport(due: "2025-12-12")
        #expect(
            PlanReviewDue.evaluate(plan, calendar: calendar2025, settings: Self.settings, asOf: d("2025-11-21")) == nil
        )
        let due = PlanReviewDue.evaluate(plan, calendar: calendar2025, settings: Self.settings, asOf: d("2025-11-24"))
        #expect(due == Finding(.planReviewDue, .plan(3), dueOn: d("2025-12-12"), severity: .info))
        let onTheDay = PlanReviewDue.evaluate(
            plan,
            calendar: calendar2025,
            settings: Self.settings,
            asOf: d("2025-12-12")
        )
        #expect(onTheDay?.rule == .planReviewDue)
        let overdue = PlanReviewDue.evaluate(
            plan,
            calendar: calendar2025,
            settings: Self.settings,
            asOf: d("2025-12-13")
        )
        #expect(overdue == Finding(.planReviewOverdue, .plan(3), dueOn: d("2025-12-12"), severity: .warning))
    }

    @Test func halfTermStretchesTheNoticeInCalendarDays() {
        // Due Friday 14 November: 14 school days back crosses the half-term closure (27-31 October), so the
        // notice starts on Monday 20 October, 25 calendar days ahead.
        let plan = senSupport(due: "2025-11-14")
        #expect(
            PlanReviewDue.evaluate(plan, calendar: calendar2025, settings: Self.settings, asOf: d("2025-10-17")) == nil
        )
        #expect(
            PlanReviewDue.evaluate(plan, calendar: calendar2025, settings: Self.settings, asOf: d("2025-10-20"))?.rule
                == .planReviewDue
        )
    }

    @Test func ehcPlansAndLeaversGetNoSENSupportReviewAlert() {
        var plan = senSupport(due: "2025-12-12")
        plan.kind = .ehcp
        #expect(
            PlanReviewDue.evaluate(plan, calendar: calendar2025, settings: Self.settings, asOf: d("2026-01-10")) == nil
        )
        var leaver = senSupport(due: "2025-12-12")
        leaver.pupil.leftOn = d("2025-12-01")
        #expect(
            PlanReviewDue.evaluate(leaver, calendar: calendar2025, settings: Self.settings, asOf: d("2026-01-10"))
                == nil
        )
    }

    @Test func theAnnualReviewIsOverdueOnTheAnniversaryAndDueTheDayBefore() {
        let plan = ehcp(issued: "2025-03-10")
        let last = d("2026-03-09")
        #expect(plan.lastCompliantDay == last)
        #expect(EHCPAnnualReview.evaluate(plan, settings: Self.settings, asOf: d("2025-12-28")) == nil)
        #expect(
            EHCPAnnualReview.evaluate(plan, settings: Self.settings, asOf: d("2025-12-29"))
                == Finding(.ehcpAnnualReviewDue, .plan(7), dueOn: last)
        )
        #expect(EHCPAnnualReview.evaluate(plan, settings: Self.settings, asOf: last)?.rule == .ehcpAnnualReviewDue)
        let overdue = EHCPAnnualReview.evaluate(plan, settings: Self.settings, asOf: d("2026-03-10"))
        #expect(overdue == Finding(.ehcpAnnualReviewOverdue, .plan(7), dueOn: last, severity: .critical))
        // A review held moves the clock on: nothing due the day after it.
        let reviewed = ehcp(issued: "2025-03-10", lastReviewed: "2026-03-02")
        #expect(EHCPAnnualReview.evaluate(reviewed, settings: Self.settings, asOf: d("2026-03-10")) == nil)
    }

    @Test func anUnderFiveGetsTheEarlyYearsRuleJudgedOnTheDueDay() {
        // Born 2021-06-01: under 5 until 2026-06-01.
        let young = ehcp(issued: "2025-09-15", born: "2021-06-01")
        #expect(EHCPEarlyYearsReview.evaluate(young, settings: Self.settings, asOf: d("2026-03-14")) == nil)
        let due = EHCPEarlyYearsReview.evaluate(young, settings: Self.settings, asOf: d("2026-03-15"))
        #expect(due == Finding(.ehcpEarlyYearsReviewDue, .plan(7), dueOn: d("2026-03-15"), severity: .info))
        // The same plan for a child who is 5 by its due day: no early-years alert.
        let five = ehcp(issued: "2025-09-15", born: "2021-03-15")
        #expect(EHCPEarlyYearsReview.evaluate(five, settings: Self.settings, asOf: d("2026-03-20")) == nil)
        // And the annual rule is quiet then: only the early-years rule speaks for the under-5.
        #expect(EHCPAnnualReview.evaluate(young, settings: Self.settings, asOf: d("2026-03-15")) == nil)
    }

    @Test func meetingInvitationsReportDecisionAndAmendmentClocks() {
        var plan = ehcp(issued: "2025-06-16")  // last compliant day 2026-06-15
        // Meeting unarranged from 8 weeks before the last day: 2026-04-20.
        #expect(EHCPReviewMeetingUnarranged.evaluate(plan, settings: Self.settings, asOf: d("2026-04-19")) == nil)
        #expect(
            EHCPReviewMeetingUnarranged.evaluate(plan, settings: Self.settings, asOf: d("2026-04-20"))?.dueOn
                == d("2026-06-15")
        )
        plan.meetingOn = d("2026-06-01")
        #expect(EHCPReviewMeetingUnarranged.evaluate(plan, settings: Self.settings, asOf: d("2026-04-20")) == nil)
        // Invitations: two weeks' notice, so by 2026-05-18.
        #expect(EHCPReviewInvitationsLate.evaluate(plan, asOf: d("2026-05-18")) == nil)
        #expect(EHCPReviewInvitationsLate.evaluate(plan, asOf: d("2026-05-19"))?.dueOn == d("2026-05-18"))
        plan.invitationsSentOn = d("2026-05-19")
        #expect(EHCPReviewInvitationsLate.evaluate(plan, asOf: d("2026-05-20"))?.rule == .ehcpReviewInvitationsLate)
        plan.invitationsSentOn = d("2026-05-18")
        #expect(EHCPReviewInvitationsLate.evaluate(plan, asOf: d("2026-05-20")) == nil)
        // Report within 14 days of the meeting: late from 2026-06-16.
        #expect(EHCPReviewReportLate.evaluate(plan, asOf: d("2026-06-15")) == nil)
        #expect(
            EHCPReviewReportLate.evaluate(plan, asOf: d("2026-06-16"))
                == Finding(.ehcpReviewReportLate, .plan(7), dueOn: d("2026-06-15"), severity: .critical)
        )
        plan.reportSentOn = d("2026-06-10")
        #expect(EHCPReviewReportLate.evaluate(plan, asOf: d("2026-06-16")) == nil)
        // The LA's decision within 4 weeks: late from 2026-06-30.
        #expect(EHCPReviewDecisionLate.evaluate(plan, asOf: d("2026-06-29")) == nil)
        #expect(EHCPReviewDecisionLate.evaluate(plan, asOf: d("2026-06-30"))?.dueOn == d("2026-06-29"))
        plan.decisionOn = d("2026-06-20")
        #expect(EHCPReviewDecisionLate.evaluate(plan, asOf: d("2026-06-30")) == nil)
        // Amendments proposed 2026-06-20: the amended plan within 8 weeks, late from 2026-08-16.
        plan.amendmentsProposedOn = d("2026-06-20")
        #expect(EHCPAmendmentLate.evaluate(plan, asOf: d("2026-08-15")) == nil)
        #expect(EHCPAmendmentLate.evaluate(plan, asOf: d("2026-08-16"))?.dueOn == d("2026-08-15"))
        plan.amendedIssuedOn = d("2026-08-01")
        #expect(EHCPAmendmentLate.evaluate(plan, asOf: d("2026-08-16")) == nil)
    }
}
