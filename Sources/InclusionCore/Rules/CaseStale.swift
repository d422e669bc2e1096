/// `case-stale` (info): a case not closed with no note (confidential notes count) for `rules.case-stale.days`
/// calendar days (default 28), counted from its latest note or, with none, from the day it opened. Due day: the
/// day it became stale.
public enum CaseStale {
    /// What the rule knows of one case that is not closed.
    public struct Facts: Sendable, Hashable {
        public var id: Int64
        public var pupil: PupilFacts
        public var openedOn: Day
        /// The latest note of any kind, confidential ones included.
        public var lastNoteOn: Day?

        public init(id: Int64, pupil: PupilFacts, openedOn: Day, lastNoteOn: Day? = nil) {
            self.id = id
            self.pupil = pupil
            self.openedOn = openedOn
            self.lastNoteOn = lastNoteOn
        }
    }

    public static func evaluate(_ facts: Facts, settings: RuleSettings, asOf: Day) -> Finding? {
        guard !facts.pupil.hasLeft(by: asOf) else { return nil }
        let stale = max(facts.openedOn, facts.lastNoteOn ?? facts.openedOn).adding(days: settings.caseStaleDays)
        guard asOf >= stale else { return nil }
        return Finding(.caseStale, .pupilCase(facts.id), dueOn: stale)
    }
}
