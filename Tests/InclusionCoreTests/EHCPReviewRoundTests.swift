import InclusionCore
import Testing

/// The EHCP annual review's state machine (regs 20–22), with no database: each milestone's order, the next round,
/// and the local authority's decision and amendment.
@Suite("EHCP review round")
struct EHCPReviewRoundTests {
    static let today = d("2026-12-01")

    static func d(_ iso: String) -> Day { try! Day(iso: iso) }

    @Test func aFullRoundInOrder() throws {
        var round = EHCPReviewRound()
        try round.record(.invitationsSent, on: Self.d("2026-10-01"), today: Self.today, plan: 7)
        try round.record(.meeting, on: Self.d("2026-10-20"), today: Self.today, plan: 7)
        try round.record(.reportSent, on: Self.d("2026-10-30"), today: Self.today, plan: 7)
        try round.record(.amend, on: Self.d("2026-11-10"), today: Self.today)
        try round.record(.amendmentsProposed, on: Self.d("2026-11-12"), today: Self.today, plan: 7)
        try round.record(.amendedIssued, on: Self.d("2026-11-30"), today: Self.today, plan: 7)
        #expect(
            round
                == EHCPReviewRound(
                    meeting: Self.d("2026-10-20"),
                    invitations: Self.d("2026-10-01"),
                    report: Self.d("2026-10-30"),
                    decision: .amend,
                    decisionOn: Self.d("2026-11-10"),
                    amendmentsProposed: Self.d("2026-11-12"),
                    amendedIssued: Self.d("2026-11-30")
                )
        )
    }

    @Test func aMeetingMayBeArrangedAheadButNothingElseHappensInTheFuture() throws {
        var round = EHCPReviewRound()
        try round.record(.meeting, on: Self.d("2027-01-15"), today: Self.today, plan: 7)
        #expect(round.meeting == Self.d("2027-01-15"))
        for milestone in [EHCPMilestone.invitationsSent, .reportSent, .amendmentsProposed, .amendedIssued] {
            var copy = EHCPReviewRound(meeting: Self.d("2026-11-01"))
            let error = #expect(throws: ValidationError.self) {
                try copy.record(milestone, on: Self.d("2026-12-02"), today: Self.today, plan: 7)
            }
            #expect(error?.field == "on")
            #expect(error?.message.contains("in the future") == true)
        }
        var copy = EHCPReviewRound()
        #expect(throws: ValidationError.self) { try copy.record(.keep, on: Self.d("2026-12-02"), today: Self.today) }
    }

    @Test func invitationsGoOnOrBeforeTheMeeting() throws {
        var round = EHCPReviewRound(meeting: Self.d("2026-11-10"))
        try round.record(.invitationsSent, on: Self.d("2026-11-10"), today: Self.today, plan: 7)
        let error = #expect(throws: ValidationError.self) {
            try round.record(.invitationsSent, on: Self.d("2026-11-11"), today: Self.today, plan: 7)
        }
        #expect(error?.description == "on: invitations go out before the review meeting (2026-11-10)")
        #expect(round.invitations == Self.d("2026-11-10"))
    }

    @Test func theReportNeedsTheMeetingFirstAndFollowsIt() throws {
        var round = EHCPReviewRound()
        let first = #expect(throws: ValidationError.self) {
            try round.record(.reportSent, on: Self.d("2026-11-20"), today: Self.today, plan: 42)
        }
        #expect(first?.field == "plan")
        #expect(first?.message.contains("review meeting --plan 42") == true)
        round.meeting = Self.d("2026-11-10")
        let early = #expect(throws: ValidationError.self) {
            try round.record(.reportSent, on: Self.d("2026-11-09"), today: Self.today, plan: 42)
        }
        #expect(early?.field == "on")
        try round.record(.reportSent, on: Self.d("2026-11-10"), today: Self.today, plan: 42)
        #expect(round.report == Self.d("2026-11-10"))
    }

    @Test func aMeetingAfterTheReportStartsTheNextRound() throws {
        let done = EHCPReviewRound(
            meeting: Self.d("2025-11-10"),
            invitations: Self.d("2025-10-20"),
            report: Self.d("2025-11-20"),
            decision: .keep,
            decisionOn: Self.d("2025-12-01"),
            amendmentsProposed: Self.d("2025-12-05"),
            amendedIssued: Self.d("2026-01-20")
        )
        var next = done
        try next.record(.meeting, on: Self.d("2026-11-09"), today: Self.today, plan: 7)
        #expect(next == EHCPReviewRound(meeting: Self.d("2026-11-09")))
        // Moving the meeting within the round (on or before the report) keeps the round's dates.
        var moved = done
        try moved.record(.meeting, on: Self.d("2025-11-20"), today: Self.today, plan: 7)
        #expect(moved.report == done.report && moved.decision == .keep && moved.meeting == Self.d("2025-11-20"))
    }

    @Test func theDecisionFollowsTheMeeting() throws {
        var round = EHCPReviewRound(meeting: Self.d("2026-11-10"))
        let error = #expect(throws: ValidationError.self) {
            try round.record(.cease, on: Self.d("2026-11-09"), today: Self.today)
        }
        #expect(error?.field == "on")
        #expect(round.decision == nil)
        try round.record(.cease, on: Self.d("2026-11-10"), today: Self.today)
        #expect(round.decision == .cease && round.decisionOn == Self.d("2026-11-10"))
    }

    @Test func aLaterProposalClearsAnEarlierAmendedPlan() throws {
        var round = EHCPReviewRound(amendmentsProposed: Self.d("2026-06-01"), amendedIssued: Self.d("2026-07-01"))
        let early = #expect(throws: ValidationError.self) {
            try round.record(.amendedIssued, on: Self.d("2026-05-31"), today: Self.today, plan: 7)
        }
        #expect(early?.field == "on")
        try round.record(.amendmentsProposed, on: Self.d("2026-09-01"), today: Self.today, plan: 7)
        #expect(round.amendedIssued == nil)
        // A proposal on or before the issued plan keeps it.
        var same = EHCPReviewRound(amendmentsProposed: Self.d("2026-06-01"), amendedIssued: Self.d("2026-07-01"))
        try same.record(.amendmentsProposed, on: Self.d("2026-07-01"), today: Self.today, plan: 7)
        #expect(same.amendedIssued == Self.d("2026-07-01"))
    }
}

/// The checks a plan, a review and an intervention pass before they reach the database.
@Suite("Plan, review and intervention fields")
struct RecordFieldsTests {
    static let today = Day(year: 2026, month: 12, day: 1)!

    static func d(_ iso: String) -> Day { try! Day(iso: iso) }

    static func plan(_ kind: PlanKind, starts: String, _ change: (inout PlanFields) -> Void = { _ in }) -> PlanFields {
        var fields = PlanFields(kind: kind, starts: d(starts))
        change(&fields)
        return fields
    }

    @Test(arguments: [
        (plan(.senSupport, starts: "2026-09-01") { $0.issued = d("2026-08-01") }, "issued"),
        (plan(.senSupport, starts: "2026-09-01") { $0.issuingLA = "Kent" }, "issuing-la"),
        (plan(.ehcp, starts: "2026-09-01") { $0.issued = d("2026-12-02") }, "issued"),
        (plan(.ehcp, starts: "2026-09-01") { $0.lastReviewed = d("2026-12-02") }, "last-reviewed"),
        (plan(.ehcp, starts: "2026-09-01") { $0.lastReviewed = d("2026-08-31") }, "last-reviewed"),
        (
            plan(.ehcp, starts: "2026-09-01") {
                $0.issued = d("2026-10-01")
                $0.lastReviewed = d("2026-09-15")
            }, "last-reviewed"
        ),
    ])
    func aPlanThatCannotBeIsRefusedNamingTheOption(_ fields: PlanFields, field: String) {
        let error = #expect(throws: ValidationError.self) { try fields.check(today: Self.today) }
        #expect(error?.field == field)
    }

    @Test func aGoodPlanPassesAndGetsItsCycle() throws {
        let ehcp = Self.plan(.ehcp, starts: "2026-09-01") {
            $0.issued = Self.d("2026-07-01")
            $0.issuingLA = "Kent"
        }
        try ehcp.check(today: Self.today)
        #expect(ehcp.reviewBase == Self.d("2026-07-01"))
        // Born 2015: 12 months; born 2023 (under 5 on the base day): 6 months.
        #expect(ehcp.reviewCycle(dateOfBirth: Self.d("2015-03-01")) == .months(12))
        #expect(ehcp.reviewCycle(dateOfBirth: Self.d("2023-03-01")) == .months(6))
        #expect(Self.plan(.senSupport, starts: "2026-09-01").reviewCycle(dateOfBirth: Self.d("2015-03-01")) == .termly)
        #expect(try ehcp.firstReviewDue(cycle: .months(12), terms: []) > ehcp.starts)
    }

    @Test func aFirstReviewBeforeThePlanStartsIsRefused() {
        let old = Self.plan(.ehcp, starts: "2026-09-01") { $0.issued = Self.d("2024-01-10") }
        let error = #expect(throws: ValidationError.self) { try old.firstReviewDue(cycle: .months(12), terms: []) }
        #expect(error?.field == "issued")
    }

    @Test func aReviewIsHeldNotAheadAndNotBeforeWhatItReviews() throws {
        let fields = ReviewFields(heldOn: Self.d("2026-11-30"))
        try fields.check(today: Self.today)
        try fields.check(startsOn: Self.d("2026-11-30"), of: "plan")
        let ahead = #expect(throws: ValidationError.self) {
            try ReviewFields(heldOn: Self.d("2026-12-02")).check(today: Self.today)
        }
        #expect(ahead?.field == "held-on")
        let before = #expect(throws: ValidationError.self) {
            try fields.check(startsOn: Self.d("2026-12-01"), of: "intervention")
        }
        #expect(before?.description == "held-on: the review is before the intervention starts (2026-12-01)")
    }

    @Test(arguments: [
        (0.0, 20, "2026-09-01", "per-week"), (25.5, 20, "2026-09-01", "per-week"), (3.0, 0, "2026-09-01", "minutes"),
        (3.0, 601, "2026-09-01", "minutes"), (3.0, 20, "2026-08-31", "ends"),
    ])
    func anInterventionOutOfRangeIsRefused(perWeek: Double, minutes: Int, ends: String, field: String) {
        let error = #expect(throws: ValidationError.self) {
            try InterventionFields(
                name: "Reading",
                area: .cognitionLearning,
                starts: Self.d("2026-09-01"),
                ends: Self.d(ends),
                perWeek: perWeek,
                minutes: minutes
            )
        }
        #expect(error?.field == field)
    }

    @Test(arguments: [("3", 3.0), ("0.5", 0.5), ("25", 25.0), ("12.25", 12.25)])
    func sessionsAWeekParse(_ text: String, value: Double) throws {
        #expect(try InterventionFields.parseSessionsPerWeek(text) == value)
    }

    @Test(arguments: ["0", "0.00", "25.01", "1.234", "1e1", "-1", "", ".5", "3.", "100"])
    func badSessionsAWeekAreRefused(_ text: String) {
        #expect(throws: ValidationError.self) { try InterventionFields.parseSessionsPerWeek(text) }
    }
}
