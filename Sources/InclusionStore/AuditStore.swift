public import Postgres

/// The result of recomputing the audit chain.
public struct AuditVerification: Codable, Sendable, Equatable {
    public var version = 1
    public let ok: Bool
    public let blocks: Int64
    public let events: Int64
    public let brokenBlock: Int64?
    public let brokenEvent: Int64?
    public let problem: String?

    enum CodingKeys: String, CodingKey {
        case version, ok, blocks, events, problem
        case brokenBlock = "broken_block"
        case brokenEvent = "broken_event"
    }
}

/// The audit trail: verification (admins) and access events.
public struct AuditStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Recomputes every payload hash, event digest and block link in the database, checks every live row against
    /// its latest event and, given an anchor (a block and its hash that the daemon logged earlier), that the chain
    /// still holds that block with that hash.
    public func verify(anchor: AuditAnchor? = nil) throws(StoreError) -> AuditVerification {
        try StoreError.translating {
            let row = try connection.run(
                "SELECT * FROM inclusion.audit_verify($1, $2)",
                [anchor?.block, anchor?.hash]
            )[0]
            return AuditVerification(
                ok: try row.decode(Bool.self, "ok"),
                blocks: try row.decode(Int64.self, "blocks"),
                events: try row.decode(Int64.self, "events"),
                brokenBlock: try row.decode(Int64?.self, "broken_block"),
                brokenEvent: try row.decode(Int64?.self, "broken_event"),
                problem: try row.decode(String?.self, "problem")
            )
        }
    }

    /// Records that the caller read a whole pupil record.
    public func recordAccess(pupil: Int64, what: String) throws(StoreError) {
        try connection.run("SELECT inclusion.audit_access($1, $2)", [pupil, what])
    }
}

/// A block of the chain and its hash, as the daemon's `audit-anchor` job logs them (`anchor=BLOCK:HEXHASH`).
public struct AuditAnchor: Sendable, Equatable, CustomStringConvertible {
    public let block: Int64
    public let hash: String

    /// Parses `BLOCK:HEXHASH` (the hash is 64 hexadecimal digits), or returns nil.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let block = Int64(parts[0]), block > 0, parts[1].count == 64,
            parts[1].allSatisfy({ $0.isHexDigit })
        else { return nil }
        self.block = block
        self.hash = parts[1].lowercased()
    }

    public var description: String { "\(block):\(hash)" }
}

/// The head of the audit chain, which the daemon writes to its log so a rewritten tail is detectable.
public struct AuditHead: Sendable, Equatable {
    public let block: Int64
    public let hash: String
    public let events: Int64
}

extension AuditStore {
    /// The newest block and its hash (nil when nothing has been audited yet).
    public func head() throws(StoreError) -> AuditHead? {
        try StoreError.translating {
            try connection.run("SELECT block, hash, events FROM inclusion.audit_head()").first.map { row in
                AuditHead(
                    block: try row.decode(Int64.self, "block"),
                    hash: try row.decode(String.self, "hash"),
                    events: try row.decode(Int64.self, "events")
                )
            }
        }
    }
}
