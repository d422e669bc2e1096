import Foundation
import InclusionStore
import Logging
import Postgres
import Prometheus
import ServiceLifecycle

/// Each tick (at least once a second): pings systemd's watchdog from this loop itself, rescues runs whose lease
/// expired, and inserts the due slots of every unpaused job. The slot's unique key makes the insert exactly-once
/// across instances.
struct SchedulerService: Service, CustomStringConvertible {
    let session: ConfinedConnection
    let state: DaemonState
    let notifier: SystemdNotifier
    let metrics: DaemonMetrics
    let logger: Logger
    var description: String { "scheduler" }

    func run() async throws {
        var lastTick: Date?
        var lastWatchdog = ContinuousClock.now
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = state.configuration
            if let interval = notifier.watchdogInterval, ContinuousClock.now - lastWatchdog >= interval {
                notifier.watchdog()
                lastWatchdog = .now
            }
            state.schedulerDidLoop()
            let now = Date()
            let previous = lastTick
            do {
                let outcome = try await session.withConnection { connection in
                    try Self.tick(
                        JobStore(connection: connection),
                        configuration: configuration,
                        lastTick: previous,
                        now: now
                    )
                }
                lastTick = now
                if failing { logger.notice("scheduler reached the database again") }
                failing = false
                if !outcome.rescued.isEmpty {
                    metrics.leaseRescues.increment(by: Int64(outcome.rescued.count))
                    logger.warning("rescued runs whose lease expired", metadata: ["runs": "\(outcome.rescued)"])
                }
                if outcome.inserted > 0 { metrics.slotsClaimed.increment(by: Int64(outcome.inserted)) }
                if outcome.inserted > 0 || !outcome.rescued.isEmpty { state.runnerWakeup.signal() }
            } catch {
                if !failing {
                    logger.warning(
                        "scheduler cannot reach the database; retrying",
                        metadata: ["error": "\(DaemonErrorText(error))"]
                    )
                }
                failing = true
            }
            let next = Self.nextWake(configuration: configuration, after: Date())
            let wait = min(1.0, max(0.01, next.timeIntervalSinceNow))
            _ = await cancelWhenGracefulShutdown {
                await state.schedulerWakeup.wait(upTo: .milliseconds(Int64(wait * 1000)))
            }
        }
    }

    struct TickOutcome: Sendable {
        let rescued: [Int64]
        let inserted: Int
    }

    /// One tick's database work: rescue, then insert due slots (set-based: one statement per job).
    static func tick(_ store: JobStore, configuration: DaemonConfiguration, lastTick: Date?, now: Date) throws
        -> TickOutcome
    {
        let base = configuration.jobs.values.map(\.retryBase.seconds).min() ?? 5
        let cap = configuration.jobs.values.map(\.retryMax.seconds).max() ?? 300
        let rescued = try store.rescueExpired(baseDelay: base, maxDelay: cap)
        let paused = try store.pausedJobs()
        var inserted = 0
        for (name, settings) in configuration.jobs.sorted(by: { $0.key < $1.key }) {
            guard let schedule = settings.schedule, !paused.contains(name) else { continue }
            let slots = SlotPlanner.slots(for: schedule, lastTick: lastTick, now: now, in: configuration.timeZone)
            inserted += try store.insertSlots(job: name, slots: slots, maxAttempts: settings.maxAttempts)
        }
        return TickOutcome(rescued: rescued, inserted: inserted)
    }

    /// The next slot of any scheduled job, so the loop wakes on time for `every 1s` jobs.
    static func nextWake(configuration: DaemonConfiguration, after date: Date) -> Date {
        configuration.jobs.values.compactMap { $0.schedule?.nextSlot(after: date, in: configuration.timeZone) }.min()
            ?? date.addingTimeInterval(1)
    }
}
