import InclusionCore
import Postgres

extension PlanFacts {
    /// Reads a plan's review and EHCP milestone dates from a row with the support_plan columns of the same names:
    /// the one decoding the sweep and the reports share.
    mutating func readMilestones(from row: Row) throws {
        lastReviewed = try row.decode(Day?.self, "last_reviewed")
        issuedOn = try row.decode(Day?.self, "issued_on")
        meetingOn = try row.decode(Day?.self, "review_meeting_on")
        invitationsSentOn = try row.decode(Day?.self, "invitations_sent_on")
        reportSentOn = try row.decode(Day?.self, "report_sent_on")
        decisionOn = try row.decode(Day?.self, "la_decision_on")
        amendmentsProposedOn = try row.decode(Day?.self, "amendments_proposed_on")
        amendedIssuedOn = try row.decode(Day?.self, "amended_issued_on")
    }
}
