/// One lapse a rule found on the as-of day: raise an alert for it unless one is open with the same key.
///
/// The key is (rule, subject, due day) where the due day is a stable event date (the statutory last day, the day
/// a lapse began, the day a status became K or E), never the as-of day: a rule that finds the same lapse on every
/// sweep returns the same key, so one lapse is one alert however often sweeps run.
public struct Finding: Hashable, Sendable {
    public let rule: AlertRuleName
    public let subject: AlertSubject
    public let dueOn: Day
    public let severity: AlertSeverity

    public init(_ rule: AlertRuleName, _ subject: AlertSubject, dueOn: Day, severity: AlertSeverity? = nil) {
        self.rule = rule
        self.subject = subject
        self.dueOn = dueOn
        self.severity = severity ?? rule.severity
    }

    /// The deduplication key.
    public var key: Key { Key(rule: rule, subject: subject, dueOn: dueOn) }

    /// What makes two findings the same lapse.
    public struct Key: Hashable, Sendable {
        public let rule: AlertRuleName
        public let subject: AlertSubject
        public let dueOn: Day

        public init(rule: AlertRuleName, subject: AlertSubject, dueOn: Day) {
            self.rule = rule
            self.subject = subject
            self.dueOn = dueOn
        }
    }
}
