import InclusionStore
import Logging

/// `audit-anchor`: writes the audit chain's head (block id and hash) to the log, so that a rewritten tail of the
/// chain can be detected against the journal.
public struct AuditAnchorJob: DaemonJob {
    public static let name = "audit-anchor"

    public init() {}

    public func run(_ context: JobContext) async throws {
        let head = try await context.session.run { connection in try AuditStore(connection: connection).head() }
        guard let head else {
            context.logger.info("audit anchor: the audit trail is empty")
            return
        }
        context.logger.notice(
            "audit anchor",
            metadata: ["audit.block": "\(head.block)", "audit.hash": "\(head.hash)", "audit.events": "\(head.events)"]
        )
    }
}
