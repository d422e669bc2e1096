import Logging
import Postgres
import Prometheus
import ServiceLifecycle

/// Listens on `inclusion_control` with its own connection and wakes the services a NOTIFY concerns.
///
/// Any login can NOTIFY any channel, so a notification is only ever a wake-up, never an instruction: payloads are
/// opaque (`run:42`, `reload:7`, `job:NAME`) and ignored beyond their kind; each woken service re-reads what to do
/// from the tables that only admins' SECURITY DEFINER functions write (a run to claim, a reload request, a paused
/// job). Wake-ups are coalesced (``NotifyCoalescer``), so a flood of notifications costs at most one check per
/// kind per ``coalesceInterval``. A missed NOTIFY (during a reconnect) only delays work until the next poll.
struct ControlListener: Service, CustomStringConvertible {
    static let channel = "inclusion_control"
    /// At most one wake-up per kind per this interval, however many notifications arrive.
    static let coalesceInterval = Duration.milliseconds(250)
    static let idleWait = Duration.milliseconds(500)
    let session: ConfinedConnection
    let state: DaemonState
    let metrics: DaemonMetrics
    let logger: Logger
    var description: String { "control-listener" }

    func run() async throws {
        var listeningOn: Int32 = 0
        var coalescer = NotifyCoalescer(interval: Self.coalesceInterval)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let wait = min(Self.idleWait, coalescer.nextDue(after: .now) ?? Self.idleWait)
            do {
                let (pid, received) = try await session.withConnection { [listeningOn] connection in
                    if connection.backendPID != listeningOn { try connection.listen(Self.channel) }
                    return (connection.backendPID, try connection.notifications(timeout: wait))
                }
                if pid != listeningOn {
                    // (Re)listening: a run requested meanwhile is claimed now; a reload request meanwhile is found
                    // by the heartbeat's poll.
                    listeningOn = pid
                    state.runnerWakeup.signal()
                }
                var unknown = 0
                let now = ContinuousClock.now
                var woken: [NotifyCoalescer.Kind] = []
                for notification in received {
                    guard let kind = NotifyCoalescer.kind(of: notification.payload) else {
                        unknown += 1
                        continue
                    }
                    if coalescer.receive(kind, at: now) { woken.append(kind) }
                }
                woken += coalescer.due(at: now)
                if !received.isEmpty { metrics.controlNotifications.increment(by: Int64(received.count)) }
                if unknown > 0 {
                    logger.debug("ignored unknown control notifications", metadata: ["count": "\(unknown)"])
                }
                for kind in woken { wake(kind) }
            } catch {
                logger.debug(
                    "control listener waiting for the database",
                    metadata: ["error": "\(DaemonErrorText(error))"]
                )
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
            }
        }
    }

    func wake(_ kind: NotifyCoalescer.Kind) {
        metrics.recordControlWakeup(kind: kind.rawValue)
        switch kind {
        case .run: state.runnerWakeup.signal()
        case .reload: state.reloadWakeup.signal()
        case .job: state.schedulerWakeup.signal()
        case .delivery: state.deliveryWakeup.signal()
        }
    }
}
