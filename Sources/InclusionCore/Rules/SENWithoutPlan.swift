/// `sen-without-plan` (warning), "no child left behind": SEN status K or E for more than
/// `rules.sen-without-plan.grace-days` calendar days (default 28) and no active plan. Due day: the day the status
/// became K or E.
public enum SENWithoutPlan {
    public static func evaluate(
        _ pupil: PupilFacts,
        hasActivePlan: Bool,
        settings: RuleSettings,
        asOf: Day
    ) -> Finding? {
        guard pupil.senStatus != .noSEN, !hasActivePlan, !pupil.hasLeft(by: asOf), let since = pupil.senStatusSince,
            since.days(to: asOf) > settings.senGraceDays
        else { return nil }
        return Finding(.senWithoutPlan, .pupil(pupil.id), dueOn: since)
    }
}
