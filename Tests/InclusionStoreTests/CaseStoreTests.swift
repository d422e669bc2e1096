import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// Cases: opened, noted (confidential notes hidden from staff), moved and closed, through the stores, connected as a SENCO and as a member of staff (never as the owner or a
/// superuser, whom row-level security does not bind).
@Suite("Cases through the store")
struct CaseStoreTests {
    static let setUp = Result { try Casework(database: try TestDatabase.create(suite: "cases")) }

    /// A day during the 2025/26 school year after every date the tests record (and before the real today: the
    /// database refuses notes, sessions and reviews dated in the future).
    static let today = day("2026-01-15")

    @Test func caseMovesThroughItsLifeAndIsFinalOnceClosed() throws {
        let setUp = try Self.setUp.get()
        let senco = try setUp.connect(.senco)
        defer { senco.close() }
        let pupil = try setUp.pupil(101, on: senco)
        let store = CaseStore(connection: senco)

        // Logged today, raised in September: the case opens on the day the concern was raised.
        let future = #expect(throws: StoreError.self) {
            try store.open(pupil: pupil, category: .concern, summary: "x", on: day("2026-01-16"), today: Self.today)
        }
        #expect(future?.field == "on")
        let id = try store.open(
            pupil: pupil,
            category: .parentRequest,
            summary: "Finds reading hard",
            on: day("2025-09-15"),
            today: Self.today
        )
        var found = try store.show(case: id)
        #expect(found.upn == pupil.upn)
        #expect(found.schoolURN == Casework.schoolURN)
        #expect(found.category == .parentRequest)
        #expect(found.state == .open)
        #expect(found.openedOn == day("2025-09-15"))
        // A note dated before the case opened is refused, naming the field.
        let early = #expect(throws: StoreError.self) {
            try store.addNote(
                case: id,
                kind: .note,
                text: "Before",
                on: day("2025-09-14"),
                confidential: false,
                today: Self.today
            )
        }
        #expect(early?.kind == .invalid)
        #expect(early?.field == "on")
        #expect(early?.message.contains("opened on 2025-09-15") == true)
        #expect(found.lastNoteOn == nil)

        _ = try store.addNote(
            case: id,
            kind: .meeting,
            text: "Met mum",
            on: day("2025-10-01"),
            confidential: false,
            today: Self.today
        )
        let futureNote = #expect(throws: StoreError.self) {
            try store.addNote(
                case: id,
                kind: .note,
                text: "x",
                on: day("2026-01-16"),
                confidential: false,
                today: Self.today
            )
        }
        #expect(futureNote?.field == "on")

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
        let id = try sencoCases.open(
            pupil: pupil,
            category: .concern,
            summary: "Withdrawn",
            on: day("2026-01-04"),
            today: Self.today
        )
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
}
