import InclusionCore
import Testing

@Suite("Alert emails")
struct AlertEmailTests {
    static func item(_ id: Int64, _ rule: AlertRuleName, _ severity: AlertSeverity, _ due: String, pupil: String?)
        throws -> AlertEmail.Item
    {
        AlertEmail.Item(
            alertID: id,
            rule: rule,
            severity: severity,
            schoolName: "Oakfield Primary",
            pupil: pupil,
            dueOn: try Day(iso: due)
        )
    }

    @Test func aPupilIsNamedByGivenNameAndInitial() {
        #expect(AlertEmail.pupilLabel(given: "Pat", family: "Alerted") == "Pat A.")
        #expect(AlertEmail.pupilLabel(given: " Pat ", family: "") == "Pat")
    }

    @Test func theCriticalMessageIsPinned() throws {
        let text = AlertEmail.critical(
            try Self.item(42, .ehcpAnnualReviewOverdue, .critical, "2026-11-30", pupil: "Pat A."),
            escalated: false
        )
        #expect(text.subject == "Urgent: an EHC plan annual review is overdue (Oakfield Primary)")
        #expect(
            text.body == """
                An urgent alert at Oakfield Primary needs attention.

                What:  An EHC plan annual review is overdue
                Pupil: Pat A.
                Due:   Mon 30 Nov 2026
                Alert: 42

                See it:      inclusionctl alert show 42
                Acknowledge: inclusionctl alert ack 42

                Sent to the school's SENCOs.
                """
        )
        let escalated = AlertEmail.critical(
            try Self.item(7, .interventionDeliveryLapsed, .critical, "2026-11-02", pupil: nil),
            escalated: true
        )
        #expect(escalated.body.hasPrefix("An alert at Oakfield Primary has been open too long and is now urgent."))
        #expect(escalated.body.hasSuffix("Sent to the school's SENCOs and the trust's admins."))
        #expect(!escalated.body.contains("Pupil:"))
    }

    @Test func theDigestIsPinned() throws {
        let items = [
            try Self.item(3, .planReviewDue, .info, "2026-12-04", pupil: "Ben C."),
            try Self.item(1, .planReviewOverdue, .warning, "2026-11-20", pupil: "Pat A."),
            try Self.item(2, .ehcpReviewReportLate, .critical, "2026-11-25", pupil: "Ola D."),
            try Self.item(4, .planReviewDue, .info, "2026-12-20", pupil: "Not This Week"),
            try Self.item(5, .termDatesMissing, .warning, "2026-09-01", pupil: nil),
        ]
        let text = try #require(AlertEmail.digest(recipient: "Sam", items: items, asOf: try Day(iso: "2026-12-01")))
        #expect(text.subject == "Inclusion digest, Tue 1 Dec 2026: 3 overdue or lapsed, 1 due this week")
        #expect(
            text.body == """
                Good morning Sam,

                Overdue or lapsed (3)
                - Oakfield Primary: the school's term dates are missing, since 1 Sep [5]
                - Pat A.: a support plan review is overdue, since 20 Nov [1]
                - URGENT Ola D.: an annual review report to the local authority is late, since 25 Nov [2]

                Due this week (1)
                - Ben C.: a support plan review is due, due 4 Dec [3]

                The number in brackets is the alert: inclusionctl alert show NUMBER.
                Snoozed alerts are left out until they wake.
                """
        )
        #expect(AlertEmail.digest(recipient: "Sam", items: [items[3]], asOf: try Day(iso: "2026-12-01")) == nil)
    }

    /// No email names a need: the rules' plain words use none of the need codes or their names.
    @Test func noRuleWordsNameANeed() {
        let needWords = ["autis", "dyslex", "speech", "hearing", "visual", "semh", "mental", "physical", "learning"]
        for rule in AlertRuleName.allCases {
            let words = rule.plainWords.lowercased()
            #expect(!needWords.contains { words.contains($0) }, "\(rule): \(words)")
        }
    }
}
