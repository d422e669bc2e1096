import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// Plans: review dates, EHCP issue dates, one active plan of a kind, outcomes, through the stores, connected as a SENCO and as a member of staff (never as the owner or a
/// superuser, whom row-level security does not bind).
@Suite("Plans through the store")
struct PlanStoreTests {
    static let setUp = Result { try Casework(database: try TestDatabase.create(suite: "plans")) }

    /// A day during the 2025/26 school year after every date the tests record (and before the real today: the
    /// database refuses notes, sessions and reviews dated in the future).
    static let today = day("2026-01-15")

    @Test(
        "a termly plan is due on the last day of the first term ending six weeks on",
        arguments: [(201, "2025-09-10", "2025-12-18"), (202, "2025-11-20", "2026-03-26")]
    )
    func termlyPlanIsDueAtTheEndOfTheFirstTermSixWeeksOn(serial: Int, starts: String, due: String) throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let pupil = try setUp.pupil(serial, on: senco)
        let store = PlanStore(connection: senco)
        let id = try store.create(
            pupil: pupil,
            fields: PlanFields(kind: .senSupport, starts: day(starts)),
            today: Self.today
        )
        let plan = try store.show(plan: id)
        #expect(plan.status == .active)
        #expect(plan.kind == .senSupport)
        #expect(plan.reviewEvery == .termly)
        #expect(plan.starts == day(starts))
        #expect(plan.nextReviewDue == day(due))
        #expect(plan.upn == pupil.upn)
    }

    @Test(
        "an EHCP is due twelve months after issue, six for a child under five",
        arguments: [
            (203, "2017-10-10", YearGroup.year3, ReviewCycle.months(12), "2026-10-05"),
            // Four on the day of issue: five on 2026-06-01.
            (204, "2021-06-01", YearGroup.reception, ReviewCycle.months(6), "2026-04-05"),
        ]
    )
    func anEHCPIsDueTwelveMonthsAfterIssueAndSixForAnUnderFive(
        serial: Int,
        born: String,
        year: YearGroup,
        cycle: ReviewCycle,
        due: String
    ) throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let store = PlanStore(connection: senco)
        var fields = PlanFields(kind: .ehcp, starts: day("2025-10-12"))
        fields.issued = day("2025-10-05")
        fields.issuingLA = "Leeds"
        let pupil = try setUp.pupil(serial, born: born, year: year, on: senco)
        let plan = try store.show(plan: try store.create(pupil: pupil, fields: fields, today: Self.today))
        #expect(plan.reviewEvery == cycle)
        #expect(plan.nextReviewDue == day(due))
        #expect(plan.issued == day("2025-10-05"))
        #expect(plan.issuingLA == "Leeds")
    }

    @Test func anExplicitReviewCycleWins() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let young = try setUp.pupil(208, born: "2021-06-01", year: .reception, on: senco)
        var weekly = PlanFields(kind: .senSupport, starts: day("2025-09-10"))
        weekly.reviewEvery = .weeks(4)
        let store = PlanStore(connection: senco)
        let fourWeeks = try store.show(plan: try store.create(pupil: young, fields: weekly, today: Self.today))
        #expect(fourWeeks.nextReviewDue == day("2025-10-08"))
    }

    @Test func issueDatesBelongToEHCPsOnly() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        var fields = PlanFields(kind: .senSupport, starts: day("2025-09-10"))
        fields.issued = day("2025-09-01")
        let error = #expect(throws: StoreError.self) {
            try PlanStore(connection: senco).create(
                pupil: try setUp.pupil(205, on: senco),
                fields: fields,
                today: Self.today
            )
        }
        #expect(error?.kind == .invalid)
        #expect(error?.field == "issued")
    }

    @Test func aSecondActivePlanOfTheSameKindIsRefused() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let pupil = try setUp.pupil(206, on: senco)
        let store = PlanStore(connection: senco)
        let first = try store.create(
            pupil: pupil,
            fields: PlanFields(kind: .senSupport, starts: day("2025-09-10")),
            today: Self.today
        )
        let second = #expect(throws: StoreError.self) {
            try store.create(
                pupil: pupil,
                fields: PlanFields(kind: .senSupport, starts: day("2025-11-20")),
                today: Self.today
            )
        }
        #expect(second?.kind == .invalid)
        #expect(second?.field == "kind")
        #expect(second?.message == "the pupil already has an active plan of this kind: close it first")

        var draftFields = PlanFields(kind: .senSupport, starts: day("2025-11-20"))
        draftFields.draft = true
        let draft = try store.create(pupil: pupil, fields: draftFields, today: Self.today)
        #expect(try store.show(plan: draft).status == .draft)
        let activate = #expect(throws: StoreError.self) { try store.activate(plan: draft) }
        #expect(activate?.message == "the pupil already has an active plan of this kind: close it first")

        try store.close(plan: first, reason: "Replaced by a new plan", today: Self.today)
        try store.activate(plan: draft)
        let active = try store.show(plan: draft)
        #expect(active.status == .active)
        #expect(active.nextReviewDue == day("2026-03-26"))
        let closed = try store.show(plan: first)
        #expect(closed.status == .closed)
        #expect(closed.closedOn == Self.today)
        #expect(closed.closeReason == "Replaced by a new plan")
        let reactivate = #expect(throws: StoreError.self) { try store.activate(plan: first) }
        #expect(reactivate?.message == "plan \(first) is closed; create a new plan instead")
    }

    @Test func outcomesAreListedWithThePlan() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let store = PlanStore(connection: senco)
        let plan = try store.create(
            pupil: try setUp.pupil(207, on: senco),
            fields: PlanFields(kind: .senSupport, starts: day("2025-09-10")),
            today: Self.today
        )
        let outcome = try store.addOutcome(
            plan: plan,
            area: .cognitionLearning,
            text: "Reads 40 words a minute",
            by: day("2025-12-18")
        )
        let outcomes = try store.show(plan: plan).outcomes
        #expect(outcomes.count == 1)
        let shown = try #require(outcomes.first)
        #expect(shown.id == outcome)
        #expect(shown.area == .cognitionLearning)
        #expect(shown.text == "Reads 40 words a minute")
        #expect(shown.by == day("2025-12-18"))
        let missing = #expect(throws: StoreError.self) {
            try store.addOutcome(plan: 999_999, area: .semh, text: "x", by: nil)
        }
        #expect(missing?.kind == .notFound)
        #expect(missing?.field == "plan")
    }
}
