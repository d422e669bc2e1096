import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// What the schema's owner (or the cluster superuser) can do behind the triggers' back, and how `audit verify`
/// catches it: with the anchor the daemon logged, by reconciling every live row with its trail, and by telling a
/// recorded redaction from an emptied payload. Each test breaks a database of its own.
@Suite("Audit anchors and rewritten tails")
struct AuditAnchorTests {
    /// A trust with three audited pupils, and the anchor logged after them.
    struct Chain {
        let world: AuditChainTests.World
        let pupils: [Int]
        let anchor: AuditAnchor

        init(suite: String) throws {
            let world = try AuditChainTests.World(database: try TestDatabase.create(suite: suite))
            self.world = world
            let senco = try world.connect("senco_a")
            defer { senco.close() }
            pupils = try (1...3).map { serial in
                try world.addPupil(senco, school: world.schools[0], body: "70130010000\(serial)", family: "Kept")
            }
            let admin = try world.connect("boss")
            defer { admin.close() }
            let head = try #require(try AuditStore(connection: admin).head())
            anchor = try #require(AuditAnchor("\(head.block):\(head.hash)"))
        }

        func verify(anchor: AuditAnchor? = nil) throws -> AuditVerification {
            let admin = try world.connect("boss")
            defer { admin.close() }
            return try AuditStore(connection: admin).verify(anchor: anchor)
        }

        /// Runs statements as the cluster superuser with every trigger off.
        func tamper(_ statements: [SQL], _ parameters: [any PostgresBindable] = []) throws {
            let superuser = try world.superuser()
            defer { superuser.close() }
            try superuser.query("SET session_replication_role = replica")
            for statement in statements {
                try superuser.query(statement, statement.text.contains("$1") ? parameters : [])
            }
        }
    }

    @Test func anIntactChainVerifiesWithAndWithoutItsAnchor() throws {
        let chain = try Chain(suite: "anchor_ok")
        #expect(try chain.verify().ok)
        #expect(try chain.verify(anchor: chain.anchor).ok)
        let wrong = try #require(AuditAnchor("\(chain.anchor.block):" + String(repeating: "0", count: 64)))
        let report = try chain.verify(anchor: wrong)
        #expect(!report.ok)
        #expect(report.brokenBlock == chain.anchor.block)
    }

    @Test func aRewrittenTailIsCaughtByTheAnchor() throws {
        let chain = try Chain(suite: "anchor_tail")
        // Remove the newest pupil with its events and block, and move the head back: the chain alone looks whole.
        try chain.tamper(
            [
                "DELETE FROM inclusion.pupil WHERE id = $1",
                "DELETE FROM inclusion.audit_event WHERE block_id = (SELECT max(id) FROM inclusion.audit_block)",
                "DELETE FROM inclusion.audit_block WHERE id = (SELECT max(id) FROM inclusion.audit_block)",
                """
                UPDATE inclusion.audit_chain_head SET (block, hash) =
                    (SELECT id, hash FROM inclusion.audit_block ORDER BY id DESC LIMIT 1)
                """,
            ],
            [chain.pupils[2]]
        )
        #expect(try chain.verify().ok, "without the anchor a clean cut cannot be seen")
        let report = try chain.verify(anchor: chain.anchor)
        #expect(!report.ok)
        #expect(report.brokenBlock == chain.anchor.block)
        #expect(report.problem?.contains("anchor") == true)
    }

    @Test func anEmptiedChainIsCaught() throws {
        let chain = try Chain(suite: "anchor_empty")
        try chain.tamper([
            "DELETE FROM inclusion.audit_event", "DELETE FROM inclusion.audit_block",
            "UPDATE inclusion.audit_chain_head SET block = NULL, hash = NULL",
        ])
        // The pupils, staff and schools are still there with no trail: caught even without the anchor.
        let report = try chain.verify()
        #expect(!report.ok)
        #expect(report.problem?.contains("does not match its audit trail") == true)
        #expect(try chain.verify(anchor: chain.anchor).ok == false)
    }

    @Test func aForgedEventSealedWithTheSealFunctionIsCaught() throws {
        let chain = try Chain(suite: "anchor_forge")
        // The owner appends a forged change of the first pupil and seals it as the trigger would.
        let owner = try chain.world.owner()
        defer { owner.close() }
        try owner.query(
            """
            WITH b AS (SELECT nextval('inclusion.audit_block_seq') AS id),
                 p AS (SELECT jsonb_build_object('new', to_jsonb(x) || '{"family_name": "Forged"}') AS payload
                       FROM inclusion.pupil x WHERE x.id = $1)
            INSERT INTO inclusion.audit_event (block_id, table_name, operation, row_id, pupil_id, school_id, payload,
                payload_hash)
            SELECT b.id, 'pupil', 'UPDATE', $1, $1, $2, p.payload, inclusion.payload_hash(p.payload) FROM b, p
            """,
            [chain.pupils[0], chain.world.schools[0]]
        )
        try owner.query(
            "SELECT inclusion.audit_seal_block((SELECT max(block_id) FROM inclusion.audit_event))"
        )
        let report = try chain.verify(anchor: chain.anchor)
        #expect(!report.ok)
        #expect(
            report.problem == "row \(chain.pupils[0]) of pupil does not match its audit trail "
                + "(changed, added or its events removed without the triggers)"
        )
    }

    @Test func aPayloadEmptiedWithoutARecordedRedactionIsCaught() throws {
        let chain = try Chain(suite: "anchor_null")
        let event: Int = try #require(
            try chain.world.owner().query(
                "SELECT id FROM inclusion.audit_event WHERE table_name = 'pupil' AND row_id = $1",
                [chain.pupils[1]]
            ).first
        ).decode(Int.self, 0)
        try chain.tamper(["UPDATE inclusion.audit_event SET payload = NULL WHERE id = $1"], [event])
        var report = try chain.verify()
        #expect(!report.ok)
        #expect(report.brokenEvent == Int64(event))
        #expect(report.problem == "an event's payload was emptied without a recorded redaction")
        // Marking it redacted is not enough: no redaction was recorded for the pupil.
        try chain.tamper(["UPDATE inclusion.audit_event SET redacted_at = now() WHERE id = $1"], [event])
        report = try chain.verify()
        #expect(report.brokenEvent == Int64(event))
    }

    @Test func anchorsParseOnlyInTheLoggedForm() {
        #expect(AuditAnchor("12:" + String(repeating: "a", count: 64))?.block == 12)
        #expect(AuditAnchor("12:" + String(repeating: "A", count: 64))?.hash == String(repeating: "a", count: 64))
        #expect(AuditAnchor("12") == nil)
        #expect(AuditAnchor("x:" + String(repeating: "a", count: 64)) == nil)
        #expect(AuditAnchor("12:abc") == nil)
        #expect(AuditAnchor("-1:" + String(repeating: "a", count: 64)) == nil)
    }
}
