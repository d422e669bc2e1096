import InclusionStore
import Logging
import Postgres

/// `audit-anchor`: writes the audit chain's head to the log, so that a rewritten tail of the chain can be detected
/// against the journal. The line carries `anchor=BLOCK:HASH` (the newest block's id and its hash in lowercase hex),
/// to be passed as it stands to `inclusionctl audit verify --anchor BLOCK:HASH`, plus the block and the event count:
///
///     <5>audit anchor anchor=812:9f86d0…0a08 audit.block=812 audit.events=250431 audit.hash=9f86d0…0a08 …
public struct AuditAnchorJob: DaemonJob {
    public static let name = "audit-anchor"
    /// Every hour, on the hour.
    public static let defaultSchedule = Schedule(configString: "0 * * * *")

    public init() {}

    /// The `anchor` field's value: `BLOCK:HASH`.
    public static func anchor(block: Int64, hash: String) -> String { "\(block):\(hash)" }

    public func run(_ context: JobContext) async throws {
        let head = try await context.session.withConnection { connection in
            try AuditStore(connection: connection).head()
        }
        guard let head else {
            context.logger.notice("audit anchor: the audit trail is empty", metadata: ["audit.events": "0"])
            return
        }
        // The hash is hex from the database; anything else would not survive copying from the journal.
        guard !head.hash.isEmpty, head.hash.allSatisfy(\.isHexDigit) else {
            throw JobFailure(description: "the audit chain's head hash is not hexadecimal (block \(head.block))")
        }
        context.logger.notice(
            "audit anchor",
            metadata: [
                "anchor": "\(Self.anchor(block: head.block, hash: head.hash.lowercased()))",
                "audit.block": "\(head.block)", "audit.hash": "\(head.hash.lowercased())",
                "audit.events": "\(head.events)",
            ]
        )
    }
}
