import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// Reviews of plans, and EHC annual-review milestones, through the stores, connected as a SENCO and as a member of staff (never as the owner or a
/// superuser, whom row-level security does not bind).
@Suite("Reviews through the store")
struct ReviewStoreTests {
    static let setUp = Result { try Casework(database: try TestDatabase.create(suite: "reviews")) }

    /// A day during the 2025/26 school year after every date the tests record (and before the real today: the
    /// database refuses notes, sessions and reviews dated in the future).
    static let today = day("2026-01-15")

    @Test func aReviewMovesThePlansNextReviewDate() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let plans = PlanStore(connection: senco)
        let reviews = ReviewStore(connection: senco)
        let plan = try plans.create(
            pupil: try setUp.pupil(301, on: senco),
            fields: PlanFields(kind: .senSupport, starts: day("2025-09-10")),
            today: Self.today
        )
        #expect(try plans.show(plan: plan).nextReviewDue == day("2025-12-18"))

        var fields = ReviewFields(heldOn: day("2025-12-10"))
        fields.parentAttended = true
        fields.pupilViews = "I like the group"
        fields.outcome = .continue
        let review = try reviews.record(.plan(plan), fields: fields, today: Self.today)
        let shown = try plans.show(plan: plan)
        #expect(shown.lastReviewed == day("2025-12-10"))
        #expect(shown.nextReviewDue == day("2026-03-26"))
        #expect(shown.reviews.count == 1)
        #expect(shown.reviews.first?.id == review)
        #expect(shown.reviews.first?.heldOn == day("2025-12-10"))
        #expect(shown.reviews.first?.parentAttended == true)
        #expect(shown.reviews.first?.pupilViews == "I like the group")
        #expect(shown.reviews.first?.parentViews == nil)
        #expect(shown.reviews.first?.outcome == .continue)
        #expect(shown.reviews.first?.recordedBy == setUp.database.login("senco1"))

        let future = #expect(throws: StoreError.self) {
            try reviews.record(.plan(plan), fields: ReviewFields(heldOn: day("2026-01-16")), today: Self.today)
        }
        #expect(future?.field == "held-on")
        let early = #expect(throws: StoreError.self) {
            try reviews.record(.plan(plan), fields: ReviewFields(heldOn: day("2025-09-01")), today: Self.today)
        }
        #expect(early?.field == "held-on")

        // An EHCP review counts twelve months on from the review.
        var ehcp = PlanFields(kind: .ehcp, starts: day("2025-09-07"))
        ehcp.issued = day("2025-09-07")
        let annual = try plans.create(pupil: try setUp.pupil(302, on: senco), fields: ehcp, today: Self.today)
        _ = try reviews.record(.plan(annual), fields: ReviewFields(heldOn: day("2026-06-20")), today: day("2026-07-01"))
        #expect(try plans.show(plan: annual).nextReviewDue == day("2027-06-20"))
    }

    @Test func ehcpMilestonesAreRecordedAndRefusedOnSENSupport() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let store = PlanStore(connection: senco)
        var fields = PlanFields(kind: .ehcp, starts: day("2025-09-07"))
        fields.issued = day("2025-09-07")
        let plan = try store.create(pupil: try setUp.pupil(303, on: senco), fields: fields, today: Self.today)
        let laterToday = day("2026-09-30")
        try store.setMilestone(.meeting, plan: plan, on: day("2026-07-08"), today: day("2026-06-01"))
        try store.setMilestone(.invitationsSent, plan: plan, on: day("2026-06-10"), today: day("2026-06-10"))
        let early = #expect(throws: StoreError.self) {
            try store.setMilestone(.reportSent, plan: plan, on: day("2026-07-01"), today: laterToday)
        }
        #expect(early?.field == "on")
        try store.setMilestone(.reportSent, plan: plan, on: day("2026-07-15"), today: laterToday)
        var shown = try store.show(plan: plan)
        #expect(shown.reviewMeetingOn == day("2026-07-08"))
        #expect(shown.invitationsSentOn == day("2026-06-10"))
        #expect(shown.reportSentOn == day("2026-07-15"))

        // A meeting after the report was sent is next year's review: its invitations and report are yet to come.
        try store.setMilestone(.meeting, plan: plan, on: day("2027-07-06"), today: laterToday)
        shown = try store.show(plan: plan)
        #expect(shown.reviewMeetingOn == day("2027-07-06"))
        #expect(shown.invitationsSentOn == nil)
        #expect(shown.reportSentOn == nil)

        let senSupport = try store.create(
            pupil: try setUp.pupil(304, on: senco),
            fields: PlanFields(kind: .senSupport, starts: day("2025-09-10")),
            today: Self.today
        )
        let refused = #expect(throws: StoreError.self) {
            try store.setMilestone(.reportSent, plan: senSupport, on: day("2025-12-01"), today: Self.today)
        }
        #expect(refused?.kind == .invalid)
        #expect(refused?.field == "plan")
        #expect(
            refused?.message
                == "plan \(senSupport) is a SEN support plan; review meetings, invitations and reports are recorded "
                + "for EHC plans only"
        )
    }
}
