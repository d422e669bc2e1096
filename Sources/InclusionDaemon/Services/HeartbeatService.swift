import InclusionStore
import Logging
import Postgres
import ServiceLifecycle

/// Writes this instance's heartbeat every `instance.heartbeat`, and looks for reload requests it may have missed
/// while its listener was reconnecting.
struct HeartbeatService: Service, CustomStringConvertible {
    let session: ConfinedConnection
    let state: DaemonState
    let logger: Logger
    var description: String { "heartbeat" }

    func run() async throws {
        let instance = state.instanceID
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let pending = try await session.withConnection { connection in
                    let store = JobStore(connection: connection)
                    try store.heartbeat(instance: instance)
                    return try store.pendingReloads(instance: instance)
                }
                if !pending.isEmpty { state.reloadWakeup.signal() }
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(DaemonErrorText(error))"])
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: state.configuration.heartbeat.duration)
            }
        }
    }
}
