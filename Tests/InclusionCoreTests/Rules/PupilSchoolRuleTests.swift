import InclusionCore
import Testing

@Suite("Pupil, case and school rules")
struct PupilSchoolRuleTests {
    static let settings = RuleSettings()

    @Test func senWithoutAPlanAfterTheGracePeriod() {
        let child = pupil(sen: .senSupport, since: "2025-10-01")
        #expect(
            SENWithoutPlan.evaluate(child, hasActivePlan: false, settings: Self.settings, asOf: d("2025-10-29")) == nil
        )
        let found = SENWithoutPlan.evaluate(child, hasActivePlan: false, settings: Self.settings, asOf: d("2025-10-30"))
        #expect(found == Finding(.senWithoutPlan, .pupil(1), dueOn: d("2025-10-01")))
        #expect(
            SENWithoutPlan.evaluate(child, hasActivePlan: true, settings: Self.settings, asOf: d("2025-10-30")) == nil
        )
        var leaver = child
        leaver.leftOn = d("2025-10-15")
        #expect(
            SENWithoutPlan.evaluate(leaver, hasActivePlan: false, settings: Self.settings, asOf: d("2025-10-30")) == nil
        )
    }

    @Test func aPlanWithoutProvision() {
        let plan = ehcp(issued: "2025-09-10")
        #expect(PlanWithoutProvision.evaluate(plan, inActiveIntervention: true, asOf: d("2025-10-01")) == nil)
        #expect(
            PlanWithoutProvision.evaluate(plan, inActiveIntervention: false, asOf: d("2025-10-01"))?.dueOn
                == d("2025-09-10")
        )
    }

    @Test func aCaseGoesStaleTwentyEightDaysAfterItsLatestNote() {
        var facts = CaseStale.Facts(id: 5, pupil: pupil(), openedOn: d("2025-09-01"))
        #expect(CaseStale.evaluate(facts, settings: Self.settings, asOf: d("2025-09-28")) == nil)
        #expect(
            CaseStale.evaluate(facts, settings: Self.settings, asOf: d("2025-09-29"))
                == Finding(.caseStale, .pupilCase(5), dueOn: d("2025-09-29"), severity: .info)
        )
        facts.lastNoteOn = d("2025-09-20")
        #expect(CaseStale.evaluate(facts, settings: Self.settings, asOf: d("2025-10-17")) == nil)
        #expect(CaseStale.evaluate(facts, settings: Self.settings, asOf: d("2025-10-18"))?.dueOn == d("2025-10-18"))
    }

    @Test func termDatesRunOutAfterTheLastTerm() {
        #expect(TermDatesMissing.evaluate(school: 2, calendar: calendar2025, asOf: d("2026-07-22")) == nil)
        #expect(
            TermDatesMissing.evaluate(school: 2, calendar: calendar2025, asOf: d("2026-07-23"))
                == Finding(.termDatesMissing, .school(2), dueOn: d("2026-07-23"))
        )
        #expect(
            TermDatesMissing.evaluate(school: 3, calendar: SchoolCalendar(terms: []), asOf: d("2025-09-01"))?.dueOn
                == d("2000-01-01")
        )
    }

    @Test func theCatalogueListsEveryRuleOnceWithItsSeverity() {
        #expect(AlertRuleName.allCases.count == 18)
        #expect(Set(AlertRuleName.allCases.map(\.rawValue)).count == 18)
        #expect(AlertRuleName.ehcpAnnualReviewOverdue.severity == .critical)
        #expect(AlertRuleName.caseStale.severity == .info)
        #expect(AlertRuleName.planReviewDue.settings.map(\.key) == ["plan-review-due.days-ahead"])
        #expect(AlertRuleName.allCases.allSatisfy { !$0.source.isEmpty })
    }
}
