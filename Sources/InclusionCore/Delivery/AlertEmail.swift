/// The words of alert emails (DESIGN §6): the message sent at once for a critical alert, and the daily digest. Plain
/// text, short lines that read on a phone. They may name a pupil (given name and the family name's initial, which
/// every recipient may see) but never a need, a note or anything a rule's name would reveal beyond "a review".
public enum AlertEmail {
    /// One alert as an email shows it.
    public struct Item: Sendable, Equatable {
        public var alertID: Int64
        public var rule: AlertRuleName
        public var severity: AlertSeverity
        public var schoolName: String
        /// ``pupilLabel(given:family:)``, or nil for an alert about a school.
        public var pupil: String?
        public var dueOn: Day

        public init(
            alertID: Int64,
            rule: AlertRuleName,
            severity: AlertSeverity,
            schoolName: String,
            pupil: String?,
            dueOn: Day
        ) {
            self.alertID = alertID
            self.rule = rule
            self.severity = severity
            self.schoolName = schoolName
            self.pupil = pupil
            self.dueOn = dueOn
        }
    }

    /// A message's subject and body (lines joined by "\n"; the transport writes the line endings).
    public struct Text: Sendable, Equatable {
        public var subject: String
        public var body: String
    }

    /// "Pat A.": the given name and the family name's initial.
    public static func pupilLabel(given: String, family: String) -> String {
        let initial = family.trimmingWhitespace().first.map { "\($0)." } ?? ""
        return [given.trimmingWhitespace(), initial].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// "Tue 1 Dec 2026".
    public static func longDay(_ day: Day) -> String {
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[day.weekday - 1]) \(day.day) \(months[day.month - 1]) \(day.year)"
    }

    /// The message sent at once when an alert is raised as, or escalated to, critical.
    public static func critical(_ item: Item, escalated: Bool) -> Text {
        let what = item.rule.plainWords
        var lines = [
            escalated
                ? "An alert at \(item.schoolName) has been open too long and is now urgent."
                : "An urgent alert at \(item.schoolName) needs attention.",
            "",
            "What:  \(capitalisedFirst(what))",
        ]
        if let pupil = item.pupil { lines.append("Pupil: \(pupil)") }
        lines += [
            "Due:   \(longDay(item.dueOn))",
            "Alert: \(item.alertID)",
            "",
            "See it:      inclusionctl alert show \(item.alertID)",
            "Acknowledge: inclusionctl alert ack \(item.alertID)",
            "",
            escalated
                ? "Sent to the school's SENCOs and the trust's admins."
                : "Sent to the school's SENCOs.",
        ]
        return Text(subject: "Urgent: \(what) (\(item.schoolName))", body: lines.joined(separator: "\n"))
    }

    /// One SENCO's daily digest of their schools as of `asOf`: lapses (overdue, late, lapsed) first, most overdue
    /// first, then what falls due within the week. Nil when there is nothing to say (no message is sent).
    public static func digest(recipient: String, items: [Item], asOf: Day) -> Text? {
        let weekEnd = asOf.adding(days: 7)
        let lapses = items.filter { !$0.rule.announcesDue }.sorted(by: order)
        let due = items.filter { $0.rule.announcesDue && $0.dueOn <= weekEnd }.sorted(by: order)
        guard !lapses.isEmpty || !due.isEmpty else { return nil }
        let multiSchool = Set(items.map(\.schoolName)).count > 1
        func line(_ item: Item) -> String {
            var who = item.pupil ?? item.schoolName
            if multiSchool, item.pupil != nil { who += ", \(item.schoolName)" }
            let when = item.rule.announcesDue ? "due \(shortDay(item.dueOn))" : "since \(shortDay(item.dueOn))"
            let urgent = item.severity == .critical ? "URGENT " : ""
            return "- \(urgent)\(who): \(item.rule.plainWords), \(when) [\(item.alertID)]"
        }
        var lines = ["Good morning \(recipient),", ""]
        if !lapses.isEmpty {
            lines += ["Overdue or lapsed (\(lapses.count))"] + lapses.map(line) + [""]
        }
        if !due.isEmpty {
            lines += ["Due this week (\(due.count))"] + due.map(line) + [""]
        }
        lines += [
            "The number in brackets is the alert: inclusionctl alert show NUMBER.",
            "Snoozed alerts are left out until they wake.",
        ]
        let subject =
            "Inclusion digest, \(longDay(asOf)): \(lapses.count) overdue or lapsed, \(due.count) due this week"
        return Text(subject: subject, body: lines.joined(separator: "\n"))
    }

    /// "1 Dec".
    static func shortDay(_ day: Day) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(day.day) \(months[day.month - 1])"
    }

    static func order(_ a: Item, _ b: Item) -> Bool {
        (a.dueOn, a.alertID) < (b.dueOn, b.alertID)
    }

    static func capitalisedFirst(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }
}
