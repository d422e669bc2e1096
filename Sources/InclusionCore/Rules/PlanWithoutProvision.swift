/// `plan-without-provision` (warning): an active plan whose pupil is in no active intervention (membership of a
/// group counts). Due day: the plan's start.
public enum PlanWithoutProvision {
    public static func evaluate(_ plan: PlanFacts, inActiveIntervention: Bool, asOf: Day) -> Finding? {
        guard !inActiveIntervention, !plan.pupil.hasLeft(by: asOf), plan.starts <= asOf else { return nil }
        return Finding(.planWithoutProvision, .plan(plan.id), dueOn: plan.starts)
    }
}
