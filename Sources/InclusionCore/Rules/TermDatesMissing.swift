/// `term-dates-missing` (warning): the as-of day is after the school's last recorded term, or it has none; the
/// school-day rules then count Monday to Friday. Due day: the day after the last term (1 January 2000 for a school
/// with none).
public enum TermDatesMissing {
    public static func evaluate(school: Int, calendar: SchoolCalendar, asOf: Day) -> Finding? {
        guard calendar.termDatesMissing(on: asOf) else { return nil }
        let since = calendar.lastTermDay?.adding(days: 1) ?? Day(year: 2000, month: 1, day: 1)!
        return Finding(.termDatesMissing, .school(school), dueOn: since)
    }
}
