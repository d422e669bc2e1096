/// `intervention-delivery-lapsed` (warning): at least `rules.intervention-delivery-lapsed.school-days` school days
/// (default 10) lie strictly after the last delivered session (or the day before the start) and strictly before the
/// earlier of the as-of day and the day after the end. Due day: the day after the last delivered session (or the
/// start), where the lapse began.
public enum InterventionDeliveryLapsed {
    public static func evaluate(
        _ intervention: InterventionFacts,
        calendar: SchoolCalendar,
        settings: RuleSettings,
        asOf: Day
    ) -> Finding? {
        guard !intervention.everyPupilLeft else { return nil }
        let anchor = intervention.lastDelivered ?? intervention.starts.adding(days: -1)
        let until = min(asOf, intervention.lastDay.adding(days: 1))
        guard calendar.schoolDays(after: anchor, before: until) >= settings.lapsedSchoolDays else { return nil }
        return Finding(.interventionDeliveryLapsed, .intervention(intervention.id), dueOn: anchor.adding(days: 1))
    }
}
