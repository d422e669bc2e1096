import Logging
import Postgres
import ServiceLifecycle

/// Listens on `inclusion_control` with its own connection and wakes the services a NOTIFY concerns. Payloads are
/// opaque (`run:42`, `reload:7`, `job:NAME`); what to do is always re-read from the tables, so a missed NOTIFY
/// (during a reconnect) only delays work until the next poll.
struct ControlListener: Service, CustomStringConvertible {
    static let channel = "inclusion_control"
    let session: DatabaseSession
    let state: DaemonState
    let logger: Logger
    var description: String { "control-listener" }

    func run() async throws {
        var listeningOn: Int32 = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let (pid, received) = try await session.run { [listeningOn] connection in
                    if connection.backendPID != listeningOn { try connection.listen(Self.channel) }
                    return (connection.backendPID, try connection.notifications(timeout: .milliseconds(500)))
                }
                if pid != listeningOn {
                    // (Re)listening: a run requested meanwhile is claimed now; a reload request meanwhile is found
                    // by the heartbeat's poll.
                    listeningOn = pid
                    state.runnerWakeup.signal()
                }
                for notification in received { dispatch(notification.payload) }
            } catch {
                logger.debug(
                    "control listener waiting for the database",
                    metadata: ["error": "\(DaemonErrorText(error))"]
                )
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
            }
        }
    }

    func dispatch(_ payload: String) {
        switch payload.split(separator: ":", maxSplits: 1).first {
        case "run": state.runnerWakeup.signal()
        case "reload": state.reloadWakeup.signal()
        case "job": state.schedulerWakeup.signal()
        default: logger.debug("unknown control notification")
        }
    }
}
