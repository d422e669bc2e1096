import Dispatch
import Logging

/// A ``Connection`` confined to its own serial dispatch queue, for use from Swift concurrency.
///
/// libpq calls block. Swift's cooperative pool has one thread per core (two here), so a blocking call made on it
/// stalls unrelated tasks. Every call through this type runs on the connection's own queue instead, one at a
/// time, and the calling task is suspended, not blocked.
public final class ConfinedConnection: @unchecked Sendable {
    // Touched only on `queue`; that confinement is what makes the unchecked Sendable sound.
    private let connection: Connection
    private let queue: DispatchQueue

    private init(connection: Connection, queue: DispatchQueue) {
        self.connection = connection
        self.queue = queue
    }

    /// Connects on a new serial queue.
    public static func connect(
        conninfo: String,
        applicationName: String = "inclusion",
        logger: Logger
    ) async throws -> ConfinedConnection {
        let queue = DispatchQueue(label: "inclusion.postgres.connection")
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    let connection = try Connection(
                        conninfo: conninfo,
                        applicationName: applicationName,
                        logger: logger
                    )
                    continuation.resume(returning: ConfinedConnection(connection: connection, queue: queue))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Runs `body` with the connection on its own queue.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.connection) })
            }
        }
    }
}
