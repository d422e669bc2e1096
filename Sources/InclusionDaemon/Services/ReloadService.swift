import InclusionStore
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP or on a reload request through PostgreSQL (`inclusionctl reload`): re-reads
/// and validates the file itself; a bad file is logged with its key and problem, and the old configuration stays.
/// Tells systemd RELOADING=1 (with MONOTONIC_USEC) before and READY=1 after, and acknowledges requests.
struct ReloadService: Service, CustomStringConvertible {
    let session: DatabaseSession
    let state: DaemonState
    let notifier: SystemdNotifier
    let logger: Logger
    var description: String { "reloader" }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await _ in signals.cancelOnGracefulShutdown() { state.reloadWakeup.signal() }
            }
            group.addTask {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let woken = await cancelWhenGracefulShutdown {
                        await state.reloadWakeup.wait(upTo: .seconds(60))
                    }
                    if Task.isShuttingDownGracefully || Task.isCancelled { return }
                    if woken { await reload() }
                }
            }
        }
    }

    func reload() async {
        notifier.reloading()
        let ok: Bool
        do {
            let fresh = try await DaemonConfiguration.load(path: state.configPath, database: state.databaseOverride)
            let old = state.configuration
            if fresh.databaseURL != old.databaseURL || fresh.instanceName != old.instanceName
                || fresh.httpListen?.port != old.httpListen?.port
            {
                logger.warning("database.url, instance.name and http.listen take effect at the next restart")
            }
            state.replace(fresh)
            logger.notice("configuration reloaded")
            ok = true
        } catch let errors as ConfigurationErrors {
            for error in errors.errors {
                logger.error(
                    "reload refused; keeping the old configuration",
                    metadata: ["config.key": "\(error.key)", "problem": "\(error.problem)"]
                )
            }
            ok = false
        } catch {
            logger.error("reload refused; keeping the old configuration", metadata: ["error": "\(error)"])
            ok = false
        }
        notifier.ready()
        let instance = state.instanceID
        do {
            try await session.run { connection in
                let store = JobStore(connection: connection)
                for request in try store.pendingReloads(instance: instance) {
                    try store.acknowledge(request: request, instance: instance, ok: ok)
                }
            }
        } catch {
            logger.warning("could not acknowledge reload requests", metadata: ["error": "\(DaemonErrorText(error))"])
        }
    }
}
