import Foundation
import InclusionCore
import InclusionDaemon
import InclusionTestSupport
import Postgres
import Testing

/// The `review-sweep` job judges by the configured `rules.*` and `alerts.escalate-after`, run as `--run-once
/// review-sweep --as-of DATE` against a test database.
@Suite("Review sweep configuration")
struct ReviewSweepConfigurationTests {
    @Test func aConfiguredCaseStaleDaysAndEscalationReachTheSweep() async throws {
        let harness = try DaemonHarness.create(suite: "sweepconfig")
        let owner = try harness.connect()
        defer { owner.close() }
        let school = try owner.query(
            "INSERT INTO inclusion.school (urn, name, la_number) VALUES (710001, 'Config Primary', 801) RETURNING id"
        )[0].decode(Int.self, 0)
        let body = "701200700001"
        let upn = String(UPN.checkLetter(for: body) ?? "A") + body
        let pupil = try owner.query(
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year, sen_status, sen_status_since)
            VALUES ($1, $2, 'Cal', 'Config', '2016-01-01', '4', 2025, 'N', NULL) RETURNING id
            """,
            [school, upn]
        )[0].decode(Int.self, 0)
        let pupilCase = try owner.query(
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
            VALUES ($1, $2, 'concern', 'Quiet', '2026-01-05') RETURNING id
            """,
            [school, pupil]
        )[0].decode(Int.self, 0)
        try owner.query(
            """
            INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on)
            VALUES ($1, $2, 'note', 'Spoke to class teacher', '2026-01-20')
            """,
            [school, pupilCase]
        )
        @discardableResult
        func sweep(asOf: String, extra: String) async throws -> String {
            let daemon = try DaemonProcess(
                arguments: [
                    "--config", try harness.config(instance: "sweep", extra: extra, jobs: ""), "--run-once",
                    "review-sweep", "--as-of", asOf,
                ],
                name: "sweep"
            )
            #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0, "\(daemon.log)")
            return daemon.log
        }
        func caseStale() throws -> [String] {
            try owner.query(
                """
                SELECT concat_ws(' ', due_on, severity) FROM inclusion.alert
                WHERE rule = 'case-stale' AND subject_id = $1 AND state <> 'resolved'
                """,
                [pupilCase]
            ).map { try $0.decode(String.self, 0) }
        }
        // 13 days since the last note: not stale by the default 28 days.
        try await sweep(asOf: "2026-02-02", extra: "")
        #expect(try caseStale() == [])
        // Stale after 10 days: stale since 30 January.
        let configured = """
            rules: { case-stale: { days: 10 } }
            alerts: { escalate-after: 1d }
            """
        let raisedLog = try await sweep(asOf: "2026-02-02", extra: configured)
        #expect(try caseStale() == ["2026-01-30 info"])
        // The journal channel: one line for the alert, ids, rule and severity only (no name, no note).
        let alertLines = raisedLog.split(separator: "\n").filter { $0.contains("alert raised") }
        #expect(alertLines.count == 1, "\(raisedLog)")
        #expect(alertLines.first?.contains("alert.rule=case-stale") == true)
        #expect(alertLines.first?.contains("alert.severity=info") == true)
        #expect(!raisedLog.contains("Config") && !raisedLog.contains("Spoke to class teacher"))
        // Open a day, with escalate-after 1d: one step up (the default 7d would wait).
        try await sweep(asOf: "2026-02-03", extra: "rules: { case-stale: { days: 10 } }")
        #expect(try caseStale() == ["2026-01-30 info"])
        try await sweep(asOf: "2026-02-03", extra: configured)
        #expect(try caseStale() == ["2026-01-30 warning"])
    }
}
