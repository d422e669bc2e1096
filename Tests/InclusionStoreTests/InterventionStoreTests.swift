import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// Interventions: group session logs, what staff may do, one school and one plan, through the stores, connected as a SENCO and as a member of staff (never as the owner or a
/// superuser, whom row-level security does not bind).
@Suite("Interventions through the store")
struct InterventionStoreTests {
    static let setUp = Result { try Casework(database: try TestDatabase.create(suite: "interventions")) }

    /// A day during the 2025/26 school year after every date the tests record (and before the real today: the
    /// database refuses notes, sessions and reviews dated in the future).
    static let today = day("2026-01-15")

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
        var fields = try InterventionFields(
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
        let fields = try InterventionFields(
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
        let fields = try InterventionFields(
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

    @Test func sessionsForSeveralDaysAreLoggedTogetherOrNotAtAll() throws {
        let setUp = try Self.setUp.get()
        let staff = try setUp.connect(.staff)
        let senco = try setUp.connect(.senco)
        defer {
            senco.close()
            staff.close()
        }
        let group = try [421, 422].map { try setUp.pupil($0, on: senco) }
        let fields = try InterventionFields(
            name: "Number sense",
            area: .cognitionLearning,
            starts: day("2025-11-03"),
            ends: day("2025-12-12"),
            perWeek: 3,
            minutes: 15
        )
        let id = try InterventionStore(connection: senco).add(pupils: group, fields: fields)
        let store = InterventionStore(connection: staff)
        let week = ["2025-11-03", "2025-11-05", "2025-11-07"].map(day)
        let sessions = try store.logSessions(
            intervention: id,
            on: week,
            missedReason: nil,
            absent: [group[0]],
            today: Self.today
        )
        #expect(sessions.count == 3)
        #expect(sessions == sessions.sorted())

        // A day already logged, or one after the intervention ends, refuses the whole list.
        for days in [["2025-11-10", "2025-11-05"], ["2025-11-12", "2025-12-15"]] {
            #expect(throws: StoreError.self) {
                try store.logSessions(
                    intervention: id,
                    on: days.map(day),
                    missedReason: nil,
                    absent: [],
                    today: Self.today
                )
            }
        }
        let shown = try InterventionStore(connection: senco).show(intervention: id)
        #expect(shown.delivered == 3)
        #expect(shown.lastDeliveredOn == day("2025-11-07"))
    }

    private func expectedScores(group: [PupilRef], scores: [Int: String]) -> [String?] {
        group.indices.map { (group[$0].upn, scores[$0]) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
