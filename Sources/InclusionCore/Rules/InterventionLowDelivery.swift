/// `intervention-low-delivery` (warning): over the last 20 school days before the as-of day (clipped to the start,
/// judged once 10 have passed), fewer sessions were delivered than `rules.intervention-low-delivery.min-rate`
/// (default 0.75) × sessions per week × school days ÷ 5. Only while the intervention runs. Due day: the
/// intervention's start (one low-delivery alert per intervention at a time).
public enum InterventionLowDelivery {
    public static let window = 20
    public static let minimumJudged = 10

    public static func evaluate(
        _ intervention: InterventionFacts,
        calendar: SchoolCalendar,
        settings: RuleSettings,
        asOf: Day
    ) -> Finding? {
        guard !intervention.everyPupilLeft, asOf <= intervention.lastDay else { return nil }
        let days = calendar.schoolDays(window, before: asOf, notBefore: intervention.starts)
        guard days.count >= minimumJudged, let earliest = days.last else { return nil }
        let delivered = intervention.recentDeliveries.filter { $0 >= earliest && $0 < asOf }.count
        let expected = settings.minimumDeliveryRate * intervention.sessionsPerWeek * Double(days.count) / 5
        guard Double(delivered) < expected else { return nil }
        return Finding(.interventionLowDelivery, .intervention(intervention.id), dueOn: intervention.starts)
    }
}
