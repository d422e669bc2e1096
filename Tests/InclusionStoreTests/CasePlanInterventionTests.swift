import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// Cases, plans, interventions and reviews through the stores, connected as a SENCO and as a member of staff
/// (never as the owner or a superuser, whom row-level security does not bind).
@Suite("Cases, plans, interventions and reviews")
struct CasePlanInterventionTests {
    static let database = Result { try TestDatabase.create(suite: "casework") }
    fileprivate static let setUp = Result { try Casework(database: try database.get()) }

    /// A day during the 2025/26 school year after every date the tests record (and before the real today: the
    /// database refuses notes, sessions and reviews dated in the future).
    fileprivate static let today = day("2026-01-15")

    // MARK: Cases

    @Test func caseMovesThroughItsLifeAndIsFinalOnceClosed() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let pupil = try setUp.pupil(101, on: senco)
        let store = CaseStore(connection: senco)

        let id = try store.open(
            pupil: pupil,
            category: .parentRequest,
            summary: "Finds reading hard",
            today: Self.today
        )
        var found = try store.show(case: id)
        #expect(found.upn == pupil.upn)
        #expect(found.schoolURN == Casework.schoolURN)
        #expect(found.category == .parentRequest)
        #expect(found.state == .open)
        #expect(found.openedOn == Self.today)
        #expect(found.lastNoteOn == nil)

        _ = try store.addNote(
            case: id,
            kind: .meeting,
            text: "Met mum",
            on: day("2025-10-01"),
            confidential: false,
            today: Self.today
        )
        let future = #expect(throws: StoreError.self) {
            try store.addNote(
                case: id,
                kind: .note,
                text: "x",
                on: day("2026-01-16"),
                confidential: false,
                today: Self.today
            )
        }
        #expect(future?.field == "on")

        try store.move(case: id, to: .assessing)
        #expect(try store.show(case: id).state == .assessing)
        let back = #expect(throws: StoreError.self) { try store.move(case: id, to: .open) }
        #expect(back?.kind == .invalid)
        #expect(back?.field == "to")
        #expect(back?.message == "a case that is assessing cannot move to open; it can move to: monitoring, closed")
        try store.move(case: id, to: .monitoring)

        try store.close(case: id, outcome: "Reading group helped", today: day("2026-01-10"))
        found = try store.show(case: id)
        #expect(found.state == .closed)
        #expect(found.closedOn == day("2026-01-10"))
        #expect(found.outcome == "Reading group helped")
        #expect(found.lastNoteOn == day("2025-10-01"))
        #expect(found.notes?.map(\.text) == ["Met mum"])

        let noteOnClosed = #expect(throws: StoreError.self) {
            try store.addNote(
                case: id,
                kind: .note,
                text: "late",
                on: Self.today,
                confidential: false,
                today: Self.today
            )
        }
        #expect(noteOnClosed?.kind == .invalid)
        #expect(noteOnClosed?.field == "case")
        #expect(noteOnClosed?.message == "case \(id) is closed; notes go on open cases")
        let reopen = #expect(throws: StoreError.self) { try store.move(case: id, to: .assessing) }
        #expect(reopen?.message == "the case is closed and cannot change; open a new case instead")
        let closeAgain = #expect(throws: StoreError.self) {
            try store.close(case: id, outcome: "again", today: Self.today)
        }
        #expect(closeAgain?.field == "case")

        let open = try store.list(school: setUp.schoolID, openOnly: true).map(\.id)
        let all = try store.list(school: setUp.schoolID, openOnly: false).map(\.id)
        #expect(!open.contains(id))
        #expect(all.contains(id))
    }

    @Test func confidentialNotesAreHiddenFromStaffWhoMayStillAddNotes() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        let staff = try setUp.connect(.staff)
        defer {
            senco.close()
            staff.close()
        }
        let pupil = try setUp.pupil(102, on: senco)
        let sencoCases = CaseStore(connection: senco)
        let staffCases = CaseStore(connection: staff)
        let id = try sencoCases.open(pupil: pupil, category: .concern, summary: "Withdrawn", today: Self.today)
        _ = try sencoCases.addNote(
            case: id,
            kind: .note,
            text: "Seen in class",
            on: day("2026-01-04"),
            confidential: false,
            today: Self.today
        )
        _ = try sencoCases.addNote(
            case: id,
            kind: .agencyContact,
            text: "Social care referral",
            on: day("2026-01-05"),
            confidential: true,
            today: Self.today
        )
        _ = try staffCases.addNote(
            case: id,
            kind: .observation,
            text: "Quiet at lunch",
            on: day("2026-01-06"),
            confidential: false,
            today: Self.today
        )

        #expect(try staffCases.show(case: id).notes?.map(\.text) == ["Seen in class", "Quiet at lunch"])
        let all = try #require(try sencoCases.show(case: id).notes)
        #expect(all.map(\.text) == ["Seen in class", "Social care referral", "Quiet at lunch"])
        #expect(all.map(\.confidential) == [false, true, false])
        #expect(all[2].author == setUp.database.login("staff1"))
        #expect(try sencoCases.show(case: id).lastNoteOn == day("2026-01-06"))

        let open = #expect(throws: StoreError.self) {
            try staffCases.open(pupil: pupil, category: .concern, summary: "x", today: Self.today)
        }
        #expect(open?.kind == .permissionDenied)
        let close = #expect(throws: StoreError.self) { try staffCases.close(case: id, outcome: "x", today: Self.today) }
        #expect(close?.kind == .permissionDenied)
    }

    @Test func anUnknownCaseIsNotFound() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let error = #expect(throws: StoreError.self) { try CaseStore(connection: senco).show(case: 999_999) }
        #expect(error?.kind == .notFound)
        #expect(error?.field == "case")
    }

    // MARK: Plans

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

    @Test func anEHCPIsDueTwelveMonthsAfterIssueAndSixForAnUnderFive() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let store = PlanStore(connection: senco)
        var fields = PlanFields(kind: .ehcp, starts: day("2025-10-12"))
        fields.issued = day("2025-10-05")
        fields.issuingLA = "Leeds"

        let older = try setUp.pupil(203, on: senco)
        let plan = try store.show(plan: try store.create(pupil: older, fields: fields, today: Self.today))
        #expect(plan.reviewEvery == .months(12))
        #expect(plan.nextReviewDue == day("2026-10-05"))
        #expect(plan.issued == day("2025-10-05"))
        #expect(plan.issuingLA == "Leeds")

        // Four on the day of issue: five on 2026-06-01.
        let young = try setUp.pupil(204, born: "2021-06-01", year: .reception, on: senco)
        let under5 = try store.show(plan: try store.create(pupil: young, fields: fields, today: Self.today))
        #expect(under5.reviewEvery == .months(6))
        #expect(under5.nextReviewDue == day("2026-04-05"))

        // An explicit cycle wins.
        var weekly = PlanFields(kind: .senSupport, starts: day("2025-09-10"))
        weekly.reviewEvery = .weeks(4)
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

    // MARK: Reviews

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

    // MARK: Interventions

    @Test func aGroupSessionLogCountsDeliveredAndMissedSessions() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        let staff = try setUp.connect(.staff)
        defer {
            senco.close()
            staff.close()
        }
        let group = try [401, 402, 403].map { try setUp.pupil($0, on: senco) }
        let outsider = try setUp.pupil(404, on: senco)
        let store = InterventionStore(connection: senco)
        var fields = InterventionFields(
            name: "Reading catch-up",
            area: .cognitionLearning,
            starts: day("2025-10-05"),
            ends: day("2025-12-11"),
            perWeek: 3,
            minutes: 20
        )
        fields.costPerSession = Money(pence: 1250)
        fields.baseline = "reading age 6y2m"
        fields.target = "reading age 7y0m"
        let id = try store.add(pupils: group, fields: fields)

        _ = try store.logSession(
            intervention: id,
            on: day("2025-10-05"),
            missedReason: nil,
            absent: [group[1]],
            today: Self.today
        )
        _ = try store.logSession(
            intervention: id,
            on: day("2025-10-06"),
            missedReason: "TA covering a class",
            absent: [],
            today: Self.today
        )
        // Staff may log sessions.
        _ = try InterventionStore(connection: staff).logSession(
            intervention: id,
            on: day("2025-10-07"),
            missedReason: nil,
            absent: [],
            today: Self.today
        )

        let notInGroup = #expect(throws: StoreError.self) {
            try store.logSession(
                intervention: id,
                on: day("2025-10-08"),
                missedReason: nil,
                absent: [outsider],
                today: Self.today
            )
        }
        #expect(notInGroup?.kind == .invalid)
        #expect(notInGroup?.field == "absent")
        #expect(notInGroup?.message == "that pupil is not in this intervention's group")
        let twice = #expect(throws: StoreError.self) {
            try store.logSession(
                intervention: id,
                on: day("2025-10-07"),
                missedReason: nil,
                absent: [],
                today: Self.today
            )
        }
        #expect(twice?.field == "on")
        let future = #expect(throws: StoreError.self) {
            try store.logSession(
                intervention: id,
                on: day("2026-01-16"),
                missedReason: nil,
                absent: [],
                today: Self.today
            )
        }
        #expect(future?.field == "on")

        let shown = try store.show(intervention: id)
        #expect(shown.upns == group.map(\.upn).sorted())
        #expect(shown.delivered == 2)
        #expect(shown.missed == 1)
        #expect(shown.lastDeliveredOn == day("2025-10-07"))
        #expect(shown.costPerSession == Money(pence: 1250))
        #expect(shown.perWeek == 3)
        #expect(shown.minutes == 20)
        #expect(shown.area == .cognitionLearning)
        #expect(shown.baseline == "reading age 6y2m")
        let absences = try senco.run(
            """
            SELECT count(*) FROM inclusion.session_absence a JOIN inclusion.intervention_session s ON s.id = a.session_id
            WHERE a.intervention_id = $1 AND s.held_on = '2025-10-05' AND a.pupil_id = $2
            """,
            [id, group[1].id]
        )[0].decode(Int.self, 0)
        #expect(absences == 1)

        // Ending: a group's exit score needs the pupil named.
        let unnamed = #expect(throws: StoreError.self) {
            try store.end(intervention: id, on: day("2025-12-11"), exitScore: "7y1m", for: nil, today: Self.today)
        }
        #expect(unnamed?.field == "for")
        #expect(unnamed?.message == "the group has 3 pupils; say whose exit score it is with --for UPN")
        let beforeLastSession = #expect(throws: StoreError.self) {
            try store.end(intervention: id, on: day("2025-10-06"), exitScore: nil, for: nil, today: Self.today)
        }
        #expect(beforeLastSession?.field == "on")
        try store.end(intervention: id, on: day("2025-12-11"), exitScore: "7y1m", for: group[0], today: Self.today)
        try store.end(intervention: id, on: day("2025-12-11"), exitScore: "6y11m", for: group[2], today: Self.today)
        let ended = try store.show(intervention: id)
        #expect(ended.endedOn == day("2025-12-11"))
        #expect(ended.pupils.map(\.exitScore) == expectedScores(group: group, scores: [0: "7y1m", 2: "6y11m"]))
        let otherDay = #expect(throws: StoreError.self) {
            try store.end(intervention: id, on: day("2025-12-12"), exitScore: nil, for: nil, today: Self.today)
        }
        #expect(otherDay?.message == "intervention \(id) already ended on 2025-12-11")
        #expect(try store.list(school: setUp.schoolID, activeOnly: true).allSatisfy { $0.id != id })
        #expect(try store.list(school: setUp.schoolID, activeOnly: false).contains { $0.id == id })
    }

    @Test func staffCanLogSessionsButNotSetUpInterventions() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        let staff = try setUp.connect(.staff)
        defer {
            senco.close()
            staff.close()
        }
        let pupil = try setUp.pupil(405, on: senco)
        let fields = InterventionFields(
            name: "ELSA",
            area: .semh,
            starts: day("2025-11-02"),
            ends: day("2026-02-12"),
            perWeek: 1,
            minutes: 45
        )
        let refused = #expect(throws: StoreError.self) {
            try InterventionStore(connection: staff).add(pupils: [pupil], fields: fields)
        }
        #expect(refused?.kind == .permissionDenied)

        let id = try InterventionStore(connection: senco).add(pupils: [pupil], fields: fields)
        _ = try InterventionStore(connection: staff).logSession(
            intervention: id,
            on: day("2025-11-02"),
            missedReason: nil,
            absent: [],
            today: Self.today
        )
        let end = #expect(throws: StoreError.self) {
            try InterventionStore(connection: staff).end(
                intervention: id,
                on: Self.today,
                exitScore: nil,
                for: nil,
                today: Self.today
            )
        }
        #expect(end?.kind == .permissionDenied)
        let review = #expect(throws: StoreError.self) {
            try ReviewStore(connection: staff).record(
                .intervention(id),
                fields: ReviewFields(heldOn: Self.today),
                today: Self.today
            )
        }
        #expect(review?.kind == .permissionDenied)

        // A single pupil's exit score needs no --for.
        try InterventionStore(connection: senco).end(
            intervention: id,
            on: day("2026-01-08"),
            exitScore: "SDQ 14",
            for: nil,
            today: Self.today
        )
        let shown = try InterventionStore(connection: senco).show(intervention: id)
        #expect(shown.pupils.map(\.upn) == [pupil.upn])
        #expect(shown.pupils.map(\.exitScore) == ["SDQ 14"])
        #expect(shown.delivered == 1)
        let reviewID = try ReviewStore(connection: senco).record(
            .intervention(id),
            fields: ReviewFields(heldOn: day("2026-01-12")),
            today: Self.today
        )
        #expect(reviewID > 0)
    }

    @Test func aGroupMeetsAtOneSchoolAndDeliversAPlanOfItsOwn() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let here = try setUp.pupil(406, on: senco)
        let there = try setUp.pupil(407, school: setUp.otherSchoolID, on: senco)
        let store = InterventionStore(connection: senco)
        let fields = InterventionFields(
            name: "Lego therapy",
            area: .communicationInteraction,
            starts: day("2025-11-02"),
            ends: day("2025-12-18"),
            perWeek: 2,
            minutes: 30
        )
        let mixed = #expect(throws: StoreError.self) { try store.add(pupils: [here, there], fields: fields) }
        #expect(mixed?.kind == .invalid)
        #expect(mixed?.field == "upn")

        let othersPlan = try PlanStore(connection: senco).create(
            pupil: there,
            fields: PlanFields(kind: .senSupport, starts: day("2025-09-10")),
            today: Self.today
        )
        var linked = fields
        linked.plan = othersPlan
        let wrongPlan = #expect(throws: StoreError.self) { try store.add(pupils: [here], fields: linked) }
        #expect(wrongPlan?.field == "plan")
        #expect(wrongPlan?.message == "plan \(othersPlan) is not a plan of any pupil in this group")

        let ownPlan = try PlanStore(connection: senco).create(
            pupil: here,
            fields: PlanFields(kind: .senSupport, starts: day("2025-09-10")),
            today: Self.today
        )
        linked.plan = ownPlan
        #expect(try store.show(intervention: try store.add(pupils: [here], fields: linked)).plan == ownPlan)

        let missing = #expect(throws: StoreError.self) {
            try store.logSession(
                intervention: 999_999,
                on: Self.today,
                missedReason: nil,
                absent: [],
                today: Self.today
            )
        }
        #expect(missing?.kind == .notFound)
        #expect(missing?.field == "intervention")
    }

    private func expectedScores(group: [PupilRef], scores: [Int: String]) -> [String?] {
        group.indices.map { (group[$0].upn, scores[$0]) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A school with terms, a second school, a SENCO of both and a member of staff of the first, set up by the owner.
private struct Casework: Sendable {
    enum Login: String { case senco = "senco1", staff = "staff1" }

    static let schoolURN = 140_001
    static let otherSchoolURN = 140_002

    let database: TestDatabase
    let schoolID: Int
    let otherSchoolID: Int

    init(database: TestDatabase) throws {
        self.database = database
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        let schools = SchoolStore(connection: owner)
        _ = try schools.add(urn: Self.schoolURN, name: "Oak Primary", la: 380, estab: 2001)
        _ = try schools.add(urn: Self.otherSchoolURN, name: "Elm Primary", la: 380, estab: 2002)
        schoolID = try schools.id(urn: Self.schoolURN)
        otherSchoolID = try schools.id(urn: Self.otherSchoolURN)
        for (name, from, to) in [
            ("Autumn 2026", "2025-09-02", "2025-12-18"), ("Spring 2027", "2026-01-05", "2026-03-26"),
            ("Summer 2027", "2026-04-12", "2026-07-21"),
        ] {
            _ = try schools.addTerm(school: schoolID, name: name, from: day(from), to: day(to))
        }
        for (login, role, schools) in [
            (Login.senco, "senco", [schoolID, otherSchoolID]), (Login.staff, "staff", [schoolID]),
        ] {
            try owner.run(
                "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], NULL, NULL)",
                [database.login(login.rawValue), "Test \(role)", role, PostgresArray(schools)]
            )
        }
    }

    func connect(_ login: Login) throws -> Connection {
        try database.connect(as: database.login(login.rawValue))
    }

    /// Adds a pupil (as the owner) with a UPN made from `serial`, and finds them as the caller of `connection`.
    func pupil(
        _ serial: Int,
        born: String = "2017-10-10",
        year: YearGroup = .year3,
        school: Int? = nil,
        on connection: Connection
    ) throws -> PupilRef {
        let digits = String(serial)
        let body = "8" + String(repeating: "0", count: 11 - digits.count) + digits
        let upn = try UPN(String(UPN.checkLetter(for: body)!) + body)
        var fields = PupilFields()
        fields.givenName = "Pupil"
        fields.familyName = "Number \(serial)"
        fields.dateOfBirth = day(born)
        fields.yearGroup = year
        fields.senStatus = .senSupport
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        _ = try PupilStore(connection: owner).add(
            school: school ?? schoolID,
            upn: upn,
            fields: fields,
            today: day("2025-09-07")
        )
        return try PupilStore(connection: connection).resolve(upn: upn)
    }
}

/// A day from ISO text; the tests' dates are literals, so a bad one is a bug in the test.
private func day(_ text: String) -> Day {
    try! Day(iso: text)
}
