/// `ehcp-amendment-late` (warning), SEND Regulations 2014 reg 22(3): the local authority proposed amendments and
/// the final amended plan is not recorded as issued within 8 weeks of the proposal. Due day: the proposal plus 8
/// weeks.
public enum EHCPAmendmentLate {
    public static let amendmentWeeks = 8

    public static func evaluate(_ plan: PlanFacts, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf), let proposed = plan.amendmentsProposedOn else {
            return nil
        }
        let lastDay = proposed.adding(weeks: amendmentWeeks)
        guard asOf > lastDay, (plan.amendedIssuedOn.map { $0 < proposed } ?? true) else { return nil }
        return Finding(.ehcpAmendmentLate, .plan(plan.id), dueOn: lastDay)
    }
}
