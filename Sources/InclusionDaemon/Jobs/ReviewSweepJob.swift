import InclusionCore
import InclusionStore
import Logging
import Postgres

/// `review-sweep`: evaluates the review and lapse rules of DESIGN §4 as of a day for every school, each school in a
/// transaction of its own (``AlertSweep``), and raises, escalates and resolves alerts. A school whose sweep failed
/// is logged by id and fails the run (to be retried: the sweep is idempotent); the other schools' alerts stand.
/// The rules judge by the configuration's `rules.*` and `alerts.escalate-after` as of the run (a reload reaches the
/// next run).
public struct ReviewSweepJob: DaemonJob {
    public static let name = "review-sweep"
    /// Every quarter of an hour.
    public static let defaultSchedule = Schedule(configString: "*/15 * * * *")

    public init() {}

    public func run(_ context: JobContext) async throws {
        let asOf = context.asOf
        let rules = context.settings.rules
        let escalateAfterDays = context.settings.escalateAfterDays
        let started = ContinuousClock.now
        let logger = context.logger
        let metrics = context.metrics
        // One connection call per school (and one for the list): the session's client deadline
        // (database.statement-timeout and its grace) bounds one school's transaction, never the whole run, and the
        // job yields the connection between schools.
        let schools = try await context.session.withConnection { connection in
            try AlertSweep(connection: connection).schools(
                asOf: asOf,
                settings: rules,
                escalateAfterDays: escalateAfterDays
            )
        }
        var summary = AlertSweep.Summary()
        for school in schools {
            if school.unchanged {
                summary.skipped += 1
                continue
            }
            let schoolStarted = ContinuousClock.now
            do {
                let result = try await context.session.withConnection { connection in
                    try AlertSweep(connection: connection).sweep(
                        school: school.id,
                        asOf: asOf,
                        settings: rules,
                        escalateAfterDays: escalateAfterDays
                    )
                }
                summary.add(result, school: school.id, took: ContinuousClock.now - schoolStarted, keepEvents: false)
                // The journal channel: one line per alert event, ids only (the same ids went out on NOTIFY
                // inclusion_alert when the school's transaction committed), written as each school commits.
                for event in result.events {
                    metrics.recordAlert(rule: event.rule, action: event.action)
                    logger.notice(
                        "alert \(event.action)",
                        metadata: [
                            "alert.id": "\(event.alertID)", "alert.rule": "\(event.rule)",
                            "alert.severity": "\(event.severity)", "school.id": "\(event.school)",
                        ]
                    )
                }
            } catch {
                try summary.addFailure(error, school: school.id, took: ContinuousClock.now - schoolStarted)
            }
        }
        summary.open = try await context.session.withConnection { try AlertSweep(connection: $0).openCount() }
        let elapsed = ContinuousClock.now - started
        for (school, duration) in summary.schoolDurations {
            metrics.recordSchoolSweep(school: school, duration: duration)
        }
        for (school, failure) in zip(summary.failedSchools, summary.failures) {
            context.logger.error(
                "review sweep failed for a school; its alerts are unchanged",
                metadata: ["school.id": "\(school)", "error": "\(failure)"]
            )
        }
        context.logger.info(
            "review sweep done",
            metadata: [
                "sweep.as_of": "\(asOf)", "sweep.schools": "\(summary.schools)", "sweep.skipped": "\(summary.skipped)",
                "alerts.raised": "\(summary.raised)", "alerts.escalated": "\(summary.escalated)",
                "alerts.resolved": "\(summary.resolved)", "alerts.woken": "\(summary.woken)",
                "alerts.open": "\(summary.open)", "sweep.seconds": "\(elapsed.components.seconds)",
            ]
        )
        if !summary.failedSchools.isEmpty {
            throw JobFailure(description: "the sweep failed for \(summary.failedSchools.count) school(s)")
        }
    }
}
