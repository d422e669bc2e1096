import InclusionCore
import Testing

@Suite("Phase transfer deadline")
struct PhaseTransferTests {
    /// A year-6 (or year-11) pupil's EHC plan, last reviewed in the spring of the year before.
    func transferring() -> PlanFacts { ehcp(issued: "2024-03-01", lastReviewed: "2025-03-03") }

    @Test func aPrimaryTransferIsDueBy14February() {
        var plan = transferring()
        plan.meetingOn = d("2025-11-03")
        // 14 February is the last day, 15 February the first day late: critical on both, one alert (same key).
        let onTheDay = PhaseTransferDeadline.evaluate(
            plan,
            transfer: .feb15,
            autumnStart: d("2025-09-03"),
            asOf: d("2026-02-14")
        )
        let after = PhaseTransferDeadline.evaluate(
            plan,
            transfer: .feb15,
            autumnStart: d("2025-09-03"),
            asOf: d("2026-02-15")
        )
        #expect(onTheDay == Finding(.phaseTransferDeadline, .plan(7), dueOn: d("2026-02-14"), severity: .critical))
        #expect(after?.key == onTheDay?.key)
        // Recorded as issued: nothing.
        plan.amendedIssuedOn = d("2026-02-10")
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2026-02-15"))
                == nil
        )
    }

    @Test func aPost16TransferIsDueBy30March() {
        var plan = transferring()
        plan.meetingOn = d("2025-11-03")
        // A meeting held in time: nothing in the middle of the year; critical in the last 14 days (from 17 March).
        #expect(PhaseTransferDeadline.evaluate(plan, transfer: .mar31, autumnStart: nil, asOf: d("2026-03-16")) == nil)
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .mar31, autumnStart: nil, asOf: d("2026-03-17"))?.severity
                == .critical
        )
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .mar31, autumnStart: nil, asOf: d("2026-03-30"))?.dueOn
                == d("2026-03-30")
        )
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .mar31, autumnStart: nil, asOf: d("2026-03-31"))?.dueOn
                == d("2026-03-30")
        )
    }

    @Test func stayingInTheOwnSixthFormIsNoTransfer() {
        #expect(
            PhaseTransferDeadline.evaluate(transferring(), transfer: nil, autumnStart: nil, asOf: d("2026-03-31"))
                == nil
        )
    }

    @Test func warningFromTheAutumnTermThenCriticalTwelveWeeksOut() {
        var plan = transferring()
        // No meeting arranged: a warning from the first day of the autumn term, not before.
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2025-09-02"))
                == nil
        )
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2025-09-03"))?
                .severity == .warning
        )
        // 12 weeks before 14 February is 22 November: critical from the day after with no meeting held.
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2025-11-22"))?
                .severity == .warning
        )
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2025-11-23"))?
                .severity == .critical
        )
        // A meeting arranged (not yet held) silences the warning until then.
        plan.meetingOn = d("2025-11-20")
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2025-10-01"))
                == nil
        )
        #expect(
            PhaseTransferDeadline.evaluate(plan, transfer: .feb15, autumnStart: d("2025-09-03"), asOf: d("2025-11-23"))
                == nil
        )
    }
}
