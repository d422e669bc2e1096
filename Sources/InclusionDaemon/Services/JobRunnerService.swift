import Foundation
import InclusionCore
import InclusionStore
import Logging
import Postgres
import ServiceLifecycle

/// Claims due runs (`FOR UPDATE SKIP LOCKED`), runs them under a lease it renews, and finishes them only if this
/// instance and attempt still own them. On graceful shutdown it stops claiming, lets the run in flight finish
/// within `shutdown-grace`, and otherwise releases it for another instance.
struct JobRunnerService: Service, CustomStringConvertible {
    /// Claims, renewals and completions.
    let session: ConfinedConnection
    /// The jobs' own statements, so a long statement never delays a lease renewal.
    let jobSession: ConfinedConnection
    let state: DaemonState
    let metrics: DaemonMetrics
    let logger: Logger
    var description: String { "job-runner" }

    enum Outcome: Sendable {
        case finished(Result<Void, JobFailure>)
        case lost
        case graceExpired
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = state.configuration
            // Every job of this version can run when asked; each under its own lease.
            let leases = Dictionary(
                uniqueKeysWithValues: JobCatalog.jobs.keys.map {
                    ($0, (configuration.jobs[$0] ?? JobSettings()).lease.seconds)
                }
            )
            let instance = state.instanceID
            let claimed: ClaimedRun?
            do {
                claimed = try await session.withConnection { connection in
                    try JobStore(connection: connection).claim(instance: instance, leases: leases)
                }
            } catch {
                logger.debug("cannot claim runs yet", metadata: ["error": "\(DaemonErrorText(error))"])
                claimed = nil
            }
            guard let run = claimed else {
                _ = await cancelWhenGracefulShutdown { await state.runnerWakeup.wait(upTo: .seconds(1)) }
                continue
            }
            await execute(run, configuration: configuration)
        }
    }

    func execute(_ run: ClaimedRun, configuration: DaemonConfiguration) async {
        var logger = self.logger
        logger[metadataKey: "run.id"] = "\(run.id)"
        logger[metadataKey: "job"] = "\(run.job)"
        logger[metadataKey: "attempt"] = "\(run.attempt)"
        let settings = configuration.jobs[run.job] ?? JobSettings()
        guard let jobType = JobCatalog.jobs[run.job] else { return }
        let asOf = run.asOf.flatMap { try? Day(iso: $0) } ?? configuration.today()
        let context = JobContext(
            runID: run.id,
            asOf: asOf,
            session: jobSession,
            settings: settings,
            logger: logger,
            metrics: metrics
        )
        let instance = state.instanceID
        let started = ContinuousClock.now
        logger.info(
            "run started",
            metadata: ["run.scheduled_for": "\(run.scheduledFor)", "run.manual": "\(run.manual)"]
        )

        let outcome: Outcome = await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    try await jobType.init().run(context)
                    return .finished(.success(()))
                } catch is CancellationError {
                    return nil
                } catch {
                    return .finished(.failure(JobFailure(description: "\(DaemonErrorText(error))")))
                }
            }
            group.addTask {
                // Renew every third of the lease; stop the job if another instance took the run over.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int64(settings.lease.milliseconds / 3)))
                    if Task.isCancelled { return nil }
                    let owned = try? await session.withConnection { connection in
                        try JobStore(connection: connection).renew(
                            run,
                            instance: instance,
                            lease: settings.lease.seconds
                        )
                    }
                    if owned == false { return .lost }
                }
                return nil
            }
            group.addTask {
                // On SIGTERM the run may finish within the grace period; after it, it is released.
                do {
                    try await gracefulShutdown()
                    try await Task.sleep(for: configuration.shutdownGrace.duration)
                    return .graceExpired
                } catch {
                    return nil
                }
            }
            var result: Outcome = .lost
            for await next in group {
                if let next {
                    result = next
                    break
                }
            }
            group.cancelAll()
            return result
        }

        let elapsed = ContinuousClock.now - started
        let label: String
        do {
            switch outcome {
            case .finished(.success):
                let owned = try await session.withConnection {
                    try JobStore(connection: $0).succeed(run, instance: instance)
                }
                label = owned ? "succeeded" : "lost"
                logger.info("run \(label)", metadata: ["run.seconds": "\(elapsed.seconds)"])
            case .finished(.failure(let failure)):
                let delay = Backoff.delay(
                    attempt: run.attempt,
                    base: settings.retryBase,
                    cap: settings.retryMax,
                    jitter: Double.random(in: 0...1)
                )
                let owned = try await session.withConnection { connection in
                    try JobStore(connection: connection).fail(
                        run,
                        instance: instance,
                        error: failure.description,
                        retryAfter: delay
                    )
                }
                label = !owned ? "lost" : run.attempt >= run.maxAttempts ? "dead" : "failed"
                logger.error(
                    "run \(label)",
                    metadata: [
                        "error": "\(failure.description)", "retry.after_seconds": "\(label == "failed" ? delay : 0)",
                    ]
                )
            case .lost:
                label = "lost"
                logger.warning("run lost: another instance took it over after its lease expired")
            case .graceExpired:
                let released = try await session.withConnection {
                    try JobStore(connection: $0).release(run, instance: instance)
                }
                label = "released"
                logger.notice("run released at shutdown", metadata: ["released": "\(released)"])
            }
        } catch {
            label = "unrecorded"
            logger.error(
                "could not record the run's end; its lease will expire and it will be retried",
                metadata: ["error": "\(DaemonErrorText(error))"]
            )
        }
        metrics.recordRun(job: run.job, outcome: label, duration: elapsed)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
