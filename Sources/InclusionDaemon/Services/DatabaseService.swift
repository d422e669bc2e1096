import InclusionStore
import Logging
import Postgres
import ServiceLifecycle

/// Owns the daemon's database sessions for the life of the service group (postgres-nio's `PostgresClient` is the
/// model). Listed first, so it is the last to stop: once every other service has finished, it records this
/// instance's stop and closes the connections.
struct DatabaseService: Service, CustomStringConvertible {
    let sessions: DatabaseSessions
    let instanceID: Int64
    let logger: Logger
    var description: String { "database" }

    func run() async throws {
        try? await gracefulShutdown()
        let instance = instanceID
        do {
            try await sessions.heartbeat.withConnection { try JobStore(connection: $0).stopInstance(instance) }
        } catch {
            logger.warning("could not record the instance's stop", metadata: ["error": "\(DaemonErrorText(error))"])
        }
        await sessions.close()
    }
}
