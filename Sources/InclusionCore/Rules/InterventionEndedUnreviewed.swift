/// `intervention-ended-unreviewed` (warning): the end date (or the day it was ended) has passed and neither a review
/// nor an exit measure is recorded. Due day: the last day of the intervention.
public enum InterventionEndedUnreviewed {
    public static func evaluate(_ intervention: InterventionFacts, asOf: Day) -> Finding? {
        guard !intervention.everyPupilLeft, asOf > intervention.lastDay, !intervention.reviewed,
            !intervention.exitMeasured
        else { return nil }
        return Finding(.interventionEndedUnreviewed, .intervention(intervention.id), dueOn: intervention.lastDay)
    }
}
