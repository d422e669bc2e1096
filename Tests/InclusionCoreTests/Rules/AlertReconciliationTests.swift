import InclusionCore
import Testing

@Suite("Alert reconciliation")
struct AlertReconciliationTests {
    let lapse = Finding(.interventionDeliveryLapsed, .intervention(4), dueOn: d("2025-10-04"))

    @Test func aNewLapseIsRaisedOnceAndASecondSweepRaisesNothing() {
        #expect(AlertReconciliation.decide(findings: [lapse, lapse], open: []) == [.raise(lapse)])
        let open = AlertReconciliation.OpenAlert(id: 1, key: lapse.key, severity: .warning)
        #expect(AlertReconciliation.decide(findings: [lapse], open: [open]) == [])
    }

    @Test func aClearedConditionResolvesAndALeaverResolvesAsLeft() {
        let open = AlertReconciliation.OpenAlert(id: 1, key: lapse.key, severity: .warning)
        #expect(AlertReconciliation.decide(findings: [], open: [open]) == [.resolve(id: 1, because: .conditionCleared)])
        let leaver = AlertReconciliation.OpenAlert(id: 2, key: lapse.key, severity: .warning, pupilLeft: true)
        #expect(AlertReconciliation.decide(findings: [], open: [leaver]) == [.resolve(id: 2, because: .left)])
    }

    @Test func aRisingSeverityEscalatesTheSameAlert() {
        let deadline = d("2026-02-14")
        let warning = AlertReconciliation.OpenAlert(
            id: 3,
            key: Finding.Key(rule: .phaseTransferDeadline, subject: .plan(9), dueOn: deadline),
            severity: .warning
        )
        let critical = Finding(.phaseTransferDeadline, .plan(9), dueOn: deadline, severity: .critical)
        #expect(AlertReconciliation.decide(findings: [critical], open: [warning]) == [.escalate(id: 3, to: .critical)])
        #expect(AlertSeverity.info.escalated == .warning)
        #expect(AlertSeverity.critical.escalated == .critical)
    }
}
