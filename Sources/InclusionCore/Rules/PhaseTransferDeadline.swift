/// `phase-transfer-deadline` (warning, rising to critical on the same alert). SEND Regulations 2014 reg 18(1), with
/// the transfers of reg 2: an EHCP pupil who moves between phases at the end of this academic year must have the
/// amended plan naming the next setting issued **before** 15 February (last day 14 February), or **before** 31
/// March (last day 30 March) for secondary to a post-16 institution.
///
/// Each school records which year groups transfer and by which deadline; a pupil staying on in the school's own
/// sixth form is no transfer. Warning from the start of the autumn term while no review meeting is arranged;
/// critical when no meeting was held by 12 weeks before the last day, and in the last 14 days (and after) until the
/// amended plan is recorded. Calendar days. Due day: the statutory last day.
public enum PhaseTransferDeadline {
    /// The two deadlines of reg 18(1).
    public enum Deadline: String, Sendable, Hashable, Codable, CaseIterable {
        /// Before 15 February: every transfer but secondary to post-16.
        case feb15
        /// Before 31 March: secondary school to a post-16 institution.
        case mar31

        /// The last day the amended plan may be issued for a transfer at the end of `year`.
        public func lastDay(for year: AcademicYear) -> Day {
            switch self {
            case .feb15: Day(year: year.startYear + 1, month: 2, day: 14)!
            case .mar31: Day(year: year.startYear + 1, month: 3, day: 30)!
            }
        }
    }

    /// Meetings must be held this long before the last day for the decision and amendment chain to finish.
    public static let meetingLeadDays = 84
    /// The closing stretch before the last day.
    public static let finalDays = 14

    /// - Parameters:
    ///   - transfer: the deadline for the pupil's year group at this school (rolled forward to the as-of day's
    ///     academic year), or nil when that year group does not transfer.
    ///   - autumnStart: the first day of the school's autumn term of the as-of day's academic year (1 September
    ///     when it has none recorded).
    public static func evaluate(_ plan: PlanFacts, transfer: Deadline?, autumnStart: Day?, asOf: Day) -> Finding? {
        guard plan.kind == .ehcp, !plan.pupil.hasLeft(by: asOf), let transfer else { return nil }
        let year = AcademicYear(containing: asOf)
        guard asOf >= (autumnStart ?? year.firstDay) else { return nil }
        if let issued = plan.amendedIssuedOn, issued >= year.firstDay { return nil }
        let lastDay = transfer.lastDay(for: year)
        let meeting = plan.meetingOn.flatMap { $0 >= year.firstDay ? $0 : nil }
        let heldInTime = meeting.map { $0 <= lastDay.adding(days: -meetingLeadDays) && $0 <= asOf } ?? false
        let severity: AlertSeverity
        if asOf > lastDay.adding(days: -finalDays) {
            severity = .critical
        } else if asOf > lastDay.adding(days: -meetingLeadDays) && !heldInTime {
            severity = .critical
        } else if meeting == nil {
            severity = .warning
        } else {
            return nil
        }
        return Finding(.phaseTransferDeadline, .plan(plan.id), dueOn: lastDay, severity: severity)
    }
}
