import Foundation
import Synchronization

/// What the services share: the current configuration (replaced whole on reload), this instance's id, the wake-up
/// signals between services, and the scheduler's last loop time for the health check. Holds no pupil data.
public final class DaemonState: Sendable {
    private let current: Mutex<DaemonConfiguration>
    private let schedulerBeat = Mutex<ContinuousClock.Instant?>(nil)
    public let instanceID: Int64
    public let configPath: String?
    public let databaseOverride: String?
    /// Wakes the job runner: a run was requested or a slot inserted.
    public let runnerWakeup = Wakeup()
    /// Wakes the reloader: SIGHUP, a NOTIFY or the heartbeat's poll. Only SIGHUP or a recorded, unacknowledged
    /// reload request makes it reload.
    public let reloadWakeup = Wakeup()
    /// Wakes the scheduler: a job was paused or resumed.
    public let schedulerWakeup = Wakeup()
    /// Wakes the delivery service: the outbox has new deliveries, or an admin redelivered one or enabled a webhook.
    public let deliveryWakeup = Wakeup()

    public init(configuration: DaemonConfiguration, instanceID: Int64, configPath: String?, databaseOverride: String?) {
        self.current = Mutex(configuration)
        self.instanceID = instanceID
        self.configPath = configPath
        self.databaseOverride = databaseOverride
    }

    public var configuration: DaemonConfiguration { current.withLock { $0 } }

    func replace(_ configuration: DaemonConfiguration) { current.withLock { $0 = configuration } }

    func schedulerDidLoop() { schedulerBeat.withLock { $0 = .now } }

    /// Whether the scheduler loop has run in the last `window`.
    func schedulerIsLooping(within window: Duration) -> Bool {
        schedulerBeat.withLock { beat in beat.map { ContinuousClock.now - $0 < window } ?? false }
    }
}
