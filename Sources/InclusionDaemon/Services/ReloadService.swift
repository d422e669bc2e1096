import InclusionStore
import Logging
import Postgres
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Reloads the configuration on SIGHUP or on a reload request recorded in PostgreSQL (`inclusionctl reload`, through
/// `inclusion.request_reload()`, which only admins may call): re-reads and validates the file itself; a bad file is
/// logged with its key and problem, and the old configuration stays. Tells systemd RELOADING=1 (with MONOTONIC_USEC)
/// before and READY=1 after, and acknowledges the requests it acted on.
///
/// A wake-up from a NOTIFY (or the heartbeat's poll) is not a request: the reloader looks for unacknowledged
/// requests and reloads only if one is recorded, so a NOTIFY that any login can send reloads nothing.
struct ReloadService: Service, CustomStringConvertible {
    let session: ConfinedConnection
    let state: DaemonState
    let notifier: SystemdNotifier
    let metrics: DaemonMetrics
    let logger: Logger
    /// Set by SIGHUP, taken by the reload loop: a signal from the machine's admin reloads directly.
    let hangup = HangupFlag()
    var description: String { "reloader" }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await _ in signals.cancelOnGracefulShutdown() {
                    hangup.set()
                    state.reloadWakeup.signal()
                }
            }
            group.addTask {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    let woken = await cancelWhenGracefulShutdown {
                        await state.reloadWakeup.wait(upTo: .seconds(60))
                    }
                    if Task.isShuttingDownGracefully || Task.isCancelled { return }
                    if woken { await handleWakeup() }
                }
            }
        }
    }

    /// Reloads on SIGHUP, or when a reload request is recorded that this instance has not acknowledged; otherwise
    /// does nothing.
    func handleWakeup() async {
        let signalled = hangup.take()
        let instance = state.instanceID
        let requests: [Int64]
        do {
            requests = try await session.withConnection { connection in
                try JobStore(connection: connection).pendingReloads(instance: instance)
            }
        } catch {
            logger.warning("could not look for reload requests", metadata: ["error": "\(DaemonErrorText(error))"])
            requests = []
        }
        guard signalled || !requests.isEmpty else {
            logger.debug("woken for a reload, but no reload request is recorded: nothing to do")
            return
        }
        let trigger = signalled ? "signal" : "request"
        let ok = await reload(trigger: trigger, requests: requests)
        metrics.recordReload(trigger: trigger, outcome: ok ? "ok" : "refused")
        guard !requests.isEmpty else { return }
        do {
            try await session.withConnection { connection in
                let store = JobStore(connection: connection)
                for request in requests { try store.acknowledge(request: request, instance: instance, ok: ok) }
            }
        } catch {
            logger.warning("could not acknowledge reload requests", metadata: ["error": "\(DaemonErrorText(error))"])
        }
    }

    /// Re-reads the file; returns whether the new configuration was taken.
    func reload(trigger: String, requests: [Int64]) async -> Bool {
        notifier.reloading()
        defer { notifier.ready() }
        let about: Logger.Metadata = [
            "reload.trigger": "\(trigger)", "reload.requests": "\(requests.map(String.init).joined(separator: ","))",
        ]
        do {
            let fresh = try await DaemonConfiguration.load(path: state.configPath, database: state.databaseOverride)
            let old = state.configuration
            if fresh.databaseURL != old.databaseURL || fresh.instanceName != old.instanceName
                || fresh.httpListen?.port != old.httpListen?.port || fresh.statementTimeout != old.statementTimeout
                || fresh.lockTimeout != old.lockTimeout
            {
                logger.warning(
                    "database.url, database.statement-timeout, database.lock-timeout, instance.name and http.listen take effect at the next restart"
                )
            }
            state.replace(fresh)
            logger.notice("configuration reloaded", metadata: about)
            return true
        } catch let errors as ConfigurationErrors {
            for error in errors.errors {
                logger.error(
                    "reload refused; keeping the old configuration",
                    metadata: about.merging(["config.key": "\(error.key)", "problem": "\(error.problem)"]) { $1 }
                )
            }
            return false
        } catch {
            logger.error(
                "reload refused; keeping the old configuration",
                metadata: about.merging(["error": "\(error)"]) { $1 }
            )
            return false
        }
    }
}

/// A flag set from one task and taken (read and cleared) by another.
final class HangupFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }

    /// Whether the flag was set since the last take; clears it.
    func take() -> Bool {
        value.withLock { value in
            defer { value = false }
            return value
        }
    }
}
