import InclusionCore
import Testing

@Suite("Intervention rules")
struct InterventionRuleTests {
    static let settings = RuleSettings()

    func group(lastDelivered: String?, starts: String = "2025-09-08", ends: String = "2025-12-19") -> InterventionFacts
    {
        var facts = InterventionFacts(id: 11, starts: d(starts), ends: d(ends), sessionsPerWeek: 2)
        facts.lastDelivered = lastDelivered.map(d)
        return facts
    }

    @Test func deliveryLapsesAfterTenSchoolDaysWithoutASession() {
        // Last session Friday 3 October: ten school days (6-17 October) lie strictly between it and Monday 20.
        let facts = group(lastDelivered: "2025-10-03")
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-10-17")
            ) == nil
        )
        let lapsed = InterventionDeliveryLapsed.evaluate(
            facts,
            calendar: calendar2025,
            settings: Self.settings,
            asOf: d("2025-10-20")
        )
        #expect(lapsed == Finding(.interventionDeliveryLapsed, .intervention(11), dueOn: d("2025-10-04")))
        // The same lapse a day later has the same key: one alert, however often the sweep runs.
        let later = InterventionDeliveryLapsed.evaluate(
            facts,
            calendar: calendar2025,
            settings: Self.settings,
            asOf: d("2025-10-21")
        )
        #expect(later?.key == lapsed?.key)
    }

    @Test func aClosureInsideTheWindowDoesNotCount() {
        // Last session Friday 17 October; half term (27-31 October) is closed: the tenth school day is Friday 7
        // November, so the lapse shows on Monday 10 November, not on Monday 3 November.
        let facts = group(lastDelivered: "2025-10-17")
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-11-07")
            ) == nil
        )
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-11-10")
            )?.dueOn == d("2025-10-18")
        )
    }

    @Test func aHolidayBetweenTermsDoesNotCount() {
        // Last session Friday 12 December; the Christmas holiday lies between the terms.
        let facts = group(lastDelivered: "2025-12-12", ends: "2026-02-13")
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2026-01-09")
            ) == nil
        )
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2026-01-12")
            )?.rule == .interventionDeliveryLapsed
        )
    }

    @Test func anInterventionNeverDeliveredLapsesFromItsStart() {
        let facts = group(lastDelivered: nil)
        // Start Monday 8 September: school days from then; ten of them strictly before Monday 22 September.
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-09-19")
            ) == nil
        )
        #expect(
            InterventionDeliveryLapsed.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-09-22")
            )?.dueOn == d("2025-09-08")
        )
    }

    @Test func lowDeliveryIsJudgedOverTheLastTwentySchoolDaysOnceTenHavePassed() {
        // Twice a week from Monday 8 September: 75% of 2 a week over 10 school days is 3 sessions.
        var facts = group(lastDelivered: "2025-09-15")
        facts.recentDeliveries = [d("2025-09-08"), d("2025-09-15")]
        // Nine school days passed (8-18 September): not judged yet.
        #expect(
            InterventionLowDelivery.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-09-19")
            ) == nil
        )
        // Ten passed, two delivered of three expected.
        let low = InterventionLowDelivery.evaluate(
            facts,
            calendar: calendar2025,
            settings: Self.settings,
            asOf: d("2025-09-22")
        )
        #expect(low == Finding(.interventionLowDelivery, .intervention(11), dueOn: d("2025-09-08")))
        facts.recentDeliveries.append(d("2025-09-17"))
        #expect(
            InterventionLowDelivery.evaluate(
                facts,
                calendar: calendar2025,
                settings: Self.settings,
                asOf: d("2025-09-22")
            ) == nil
        )
    }

    @Test func anEndedInterventionNeedsAReviewOrAnExitMeasure() {
        var facts = group(lastDelivered: "2025-12-18")
        #expect(InterventionEndedUnreviewed.evaluate(facts, asOf: d("2025-12-19")) == nil)
        #expect(
            InterventionEndedUnreviewed.evaluate(facts, asOf: d("2025-12-20"))
                == Finding(.interventionEndedUnreviewed, .intervention(11), dueOn: d("2025-12-19"))
        )
        facts.exitMeasured = true
        #expect(InterventionEndedUnreviewed.evaluate(facts, asOf: d("2025-12-20")) == nil)
        facts.exitMeasured = false
        facts.endedOn = d("2025-11-28")
        #expect(InterventionEndedUnreviewed.evaluate(facts, asOf: d("2025-11-29"))?.dueOn == d("2025-11-28"))
        facts.reviewed = true
        #expect(InterventionEndedUnreviewed.evaluate(facts, asOf: d("2025-11-29")) == nil)
    }
}
