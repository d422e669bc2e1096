import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// Migration 0013's change markers: a sweep leaves alone a school whose records have not changed since its last
/// sweep as of the same day with the same rules, and sweeps it again after any change the rules could see.
@Suite("Sweep change markers", .serialized)
struct SweepMarkerTests {
    static let database = Result { try TestDatabase.create(suite: "sweepmark") }
    static let school = Result { try SweepSchool(database: try SweepMarkerTests.database.get()) }

    func sweep(
        _ school: SweepSchool,
        asOf: String,
        settings: RuleSettings = RuleSettings(),
        force: Bool = false
    ) throws -> AlertSweep.Summary {
        let service = try school.database.connect(as: school.database.daemonLogin)
        defer { service.close() }
        return try AlertSweep(connection: service).run(asOf: try Day(iso: asOf), settings: settings, force: force)
    }

    @Test func anUnchangedSchoolIsSkippedAndAnyChangeSweepsItAgain() throws {
        let school = try Self.school.get()
        let first = try sweep(school, asOf: "2026-03-10")
        #expect((first.schools, first.skipped, first.raised) == (2, 0, 10))

        // Nothing changed: both schools skipped, nothing decided, the open count still reported.
        let second = try sweep(school, asOf: "2026-03-10")
        #expect((second.schools, second.skipped, second.raised, second.resolved) == (0, 2, 0, 0))
        #expect(second.open == 10)

        // A review recorded at one school: that school only is swept, and its alert resolves.
        try school.owner(
            "UPDATE inclusion.support_plan SET last_reviewed = '2026-03-10', next_review_due = '2026-07-17' WHERE id = $1",
            [school.senSupport]
        )
        let afterReview = try sweep(school, asOf: "2026-03-10")
        #expect((afterReview.schools, afterReview.skipped, afterReview.resolved) == (1, 1, 1))

        // A person's action on an alert is a change too (an acknowledged alert no longer escalates).
        let sam = try school.database.connect(as: school.database.login("sam"))
        defer { sam.close() }
        try AlertStore(connection: sam).act(Int64(try school.alertID(rule: "case-stale")), .acknowledge)
        #expect(try sweep(school, asOf: "2026-03-10").schools == 1)
        #expect(try sweep(school, asOf: "2026-03-10").schools == 0)

        // Another day, other rules, or force: every school.
        #expect(try sweep(school, asOf: "2026-03-11").schools == 2)
        var settings = RuleSettings()
        settings.caseStaleDays = 40
        #expect(try sweep(school, asOf: "2026-03-11", settings: settings).schools == 2)
        #expect(try sweep(school, asOf: "2026-03-11", settings: settings).schools == 0)
        #expect(try sweep(school, asOf: "2026-03-11", settings: settings, force: true).schools == 2)

        // A login cannot fake a change marker or a sweep record: only the owner's triggers write them.
        let tia = try school.database.connect(as: school.database.login("tia"))
        defer { tia.close() }
        #expect(throws: PostgresError.self) { try tia.query("UPDATE inclusion.school_change SET version = 0") }
        #expect(throws: PostgresError.self) { try tia.query("DELETE FROM inclusion.school_sweep") }
        #expect(throws: PostgresError.self) { try sam.query("SELECT inclusion.school_changed(ARRAY[1])") }
    }
}
