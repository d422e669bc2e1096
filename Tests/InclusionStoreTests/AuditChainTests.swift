import InclusionTestSupport
import Logging
import Postgres
import Testing

/// The audit trail of DESIGN §3: one attributed event per changed row, blocks chained in commit order, verified by
/// `audit_verify()`, redactable without breaking the chain, and append-only.
@Suite("Audit chain")
struct AuditChainTests {
    static let database = Result { try TestDatabase.create(suite: "auditchain") }
    static let world = Result { try World(database: try AuditChainTests.database.get()) }

    /// The writes whose events the attribution test checks: each is made by a SENCO on a fresh pupil.
    enum Write: String, CaseIterable, Sendable {
        case need, pupilCase, caseNote, plan, planOutcome, planReview, intervention, interventionPupil, term
    }

    @Test(arguments: Write.allCases.enumerated().map { ($0.offset, $0.element) })
    func anInsertRecordsOneEventAttributedToTheLoginAndThePupil(index: Int, write: Write) throws {
        let world = try Self.world.get()
        let senco = try world.connect("senco_a")
        let school = world.schools[0]
        let pupil = try world.addPupil(senco, school: school, body: "701100200\(100 + index)")
        var expectedPupil: Int? = pupil
        let table: String
        let row: Int
        switch write {
        case .need:
            table = "pupil_need"
            row = try world.insert(
                senco,
                "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'ASD', 'primary')",
                [school, pupil]
            )
        case .pupilCase:
            table = "pupil_case"
            row = try world.addCase(senco, school: school, pupil: pupil)
        case .caseNote:
            table = "case_note"
            let openCase = try world.addCase(senco, school: school, pupil: pupil)
            row = try world.insert(
                senco,
                "INSERT INTO inclusion.case_note (school_id, case_id, kind, body) VALUES ($1, $2, 'meeting', 'Met')",
                [school, openCase]
            )
        case .plan:
            table = "support_plan"
            row = try world.addPlan(senco, school: school, pupil: pupil)
        case .planOutcome:
            table = "plan_outcome"
            let plan = try world.addPlan(senco, school: school, pupil: pupil)
            row = try world.insert(
                senco,
                "INSERT INTO inclusion.plan_outcome (school_id, plan_id, area, body) VALUES ($1, $2, 'semh', 'Calm')",
                [school, plan]
            )
        case .planReview:
            table = "review"
            let plan = try world.addPlan(senco, school: school, pupil: pupil)
            row = try world.insert(
                senco,
                "INSERT INTO inclusion.review (school_id, plan_id, held_on) VALUES ($1, $2, '2025-10-01')",
                [school, plan]
            )
        case .intervention:
            table = "intervention"
            expectedPupil = nil
            row = try world.addIntervention(senco, school: school)
        case .interventionPupil:
            table = "intervention_pupil"
            let intervention = try world.addIntervention(senco, school: school)
            row = try world.insert(
                senco,
                "INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id) VALUES ($1, $2, $3)",
                [school, intervention, pupil]
            )
        case .term:
            table = "term"
            expectedPupil = nil
            row = try world.insert(
                senco,
                """
                INSERT INTO inclusion.term (school_id, name, first_day, last_day)
                VALUES ($1, 'Summer 2026', '2026-04-13', '2026-07-22')
                """,
                [school]
            )
        }
        let events = try world.events(table: table, row: row)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.operation == "INSERT")
        #expect(event.actor == world.database.login("senco_a"))
        #expect(event.table == table)
        #expect(event.row == row)
        #expect(event.pupil == expectedPupil)
        #expect(event.school == school)
        #expect(event.hashMatches)
    }

    @Test func aPupilsInsertUpdateAndDeleteEachRecordOneEventWithOldAndNewValues() throws {
        let world = try Self.world.get()
        let senco = try world.connect("senco_a")
        let school = world.schools[0]
        let pupil = try world.addPupil(senco, school: school, body: "701100200001", family: "Before")
        #expect(
            try senco.query("UPDATE inclusion.pupil SET family_name = 'After' WHERE id = $1", [pupil]).affectedRows == 1
        )
        #expect(try senco.query("DELETE FROM inclusion.pupil WHERE id = $1", [pupil]).affectedRows == 1)

        let events = try world.events(table: "pupil", row: pupil)
        #expect(events.map(\.operation) == ["INSERT", "UPDATE", "DELETE"])
        #expect(events.allSatisfy { $0.actor == world.database.login("senco_a") })
        #expect(events.allSatisfy { $0.pupil == pupil && $0.school == school && $0.hashMatches })
        #expect(Set(events.map(\.block)).count == 3)
        let owner = try world.owner()
        let values = try owner.query(
            """
            SELECT payload -> 'new' ->> 'family_name', payload -> 'old' ->> 'family_name'
            FROM inclusion.audit_event WHERE table_name = 'pupil' AND row_id = $1 ORDER BY id
            """,
            [pupil]
        )
        #expect(values.map(\.texts) == [["Before", nil], ["After", "Before"], [nil, "After"]])
    }

    @Test func aMultiRowStatementIsOneBlockOfOneEventPerRow() throws {
        let world = try Self.world.get()
        let senco = try world.connect("senco_a")
        let school = world.schools[0]
        let inserted = try senco.query(
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year)
            SELECT $1, u, 'Group', 'Member', '2016-01-01', '4', 2025 FROM unnest($2::text[]) u
            RETURNING id
            """,
            [school, PostgresArray(["701100300001", "701100300002", "701100300003"].map(auditUPN))]
        ).map { try $0.decode(Int.self, 0) }
        #expect(inserted.count == 3)
        let updated = try senco.query(
            "UPDATE inclusion.pupil SET year_group = '5' WHERE id = ANY ($1::bigint[])",
            [PostgresArray(inserted)]
        )
        #expect(updated.affectedRows == 3)

        let events = try inserted.flatMap { try world.events(table: "pupil", row: $0) }
        let inserts = events.filter { $0.operation == "INSERT" }
        let updates = events.filter { $0.operation == "UPDATE" }
        #expect(inserts.count == 3)
        #expect(updates.count == 3)
        #expect(Set(inserts.map(\.block)).count == 1)
        #expect(Set(updates.map(\.block)).count == 1)
        #expect(inserts.first?.block != updates.first?.block)
        let owner = try world.owner()
        for block in [inserts.first?.block, updates.first?.block].compactMap({ $0 }) {
            let count: Int = try auditValue(
                owner,
                "SELECT event_count FROM inclusion.audit_block WHERE id = $1",
                [block]
            )
            #expect(count == 3)
        }
    }

    @Test func verifyAsAnAdminReportsAnUnbrokenChain() throws {
        let world = try Self.world.get()
        let senco = try world.connect("senco_a")
        _ = try world.addPupil(senco, school: world.schools[0], body: "701100400001")
        let report = try world.verify()
        #expect(report.ok == true)
        #expect((report.blocks ?? 0) > 0)
        #expect((report.events ?? 0) >= (report.blocks ?? 0))
        #expect(report.brokenBlock == nil)
        #expect(report.brokenEvent == nil)
        #expect(report.problem == nil)
    }

    @Test(arguments: ["senco_a", "staff_a"])
    func onlyAdminsMayVerifyOrRedact(login: String) throws {
        let world = try Self.world.get()
        let connection = try world.connect(login)
        let verify = #expect(throws: PostgresError.self) {
            try connection.query("SELECT * FROM inclusion.audit_verify()")
        }
        #expect(verify?.code == .insufficientPrivilege)
        let redact = #expect(throws: PostgresError.self) { try connection.query("SELECT inclusion.audit_redact(1)") }
        #expect(redact?.code == .insufficientPrivilege)
    }

    @Test func fourConcurrentWritersKeepTheChainValid() async throws {
        let world = try Self.world.get()
        let school = world.schools[0]
        let setup = try world.connect("senco_a")
        let pupil = try world.addPupil(setup, school: school, body: "701100500001")
        let openCase = try world.addCase(setup, school: school, pupil: pupil)
        let writers = ["senco_a", "boss", "staff_a", "senco_a2"]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, writer) in writers.enumerated() {
                let confined = try await ConfinedConnection.connect(
                    conninfo: world.database.conninfo(as: world.database.login(writer)),
                    logger: World.logger
                )
                group.addTask {
                    for transaction in 0..<25 {
                        // One whole transaction per call: no lock is held while the task is suspended.
                        try await confined.withConnection { connection in
                            try connection.transaction { connection in
                                try connection.query(
                                    """
                                    INSERT INTO inclusion.case_note (school_id, case_id, kind, body)
                                    VALUES ($1, $2, 'note', $3)
                                    """,
                                    [school, openCase, "concurrent \(number)-\(transaction)"]
                                )
                                try connection.query(
                                    """
                                    INSERT INTO inclusion.case_note (school_id, case_id, kind, body)
                                    VALUES ($1, $2, 'observation', $3)
                                    """,
                                    [school, openCase, "concurrent follow-up \(number)-\(transaction)"]
                                )
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let owner = try world.owner()
        let row = try #require(
            try owner.query(
                """
                SELECT count(*), count(DISTINCT block_id), count(DISTINCT actor)
                FROM inclusion.audit_event
                WHERE table_name = 'case_note' AND payload -> 'new' ->> 'body' LIKE 'concurrent %'
                """
            ).first
        )
        #expect(row.texts == ["200", "200", "4"])
        let report = try world.verify()
        #expect(report.ok == true, "\(report)")
    }

    @Test func redactionEmptiesAPupilsPayloadsAndTheChainStillVerifies() throws {
        let world = try Self.world.get()
        let school = world.schools[0]
        let senco = try world.connect("senco_a")
        let pupil = try world.addPupil(senco, school: school, body: "701100600001", family: "Redactable")
        // A leaver born in 1990: past the default retention of 31 years after birth.
        try senco.query(
            """
            UPDATE inclusion.pupil SET family_name = 'Redacted Later', date_of_birth = '1990-02-03', left_on = '2008-07-20'
            WHERE id = $1
            """,
            [pupil]
        )
        let openCase = try world.addCase(senco, school: school, pupil: pupil)
        try senco.query(
            "INSERT INTO inclusion.case_note (school_id, case_id, kind, body) VALUES ($1, $2, 'note', 'Private')",
            [school, openCase]
        )
        let owner = try world.owner()
        // The pupil's insert and update, the case, the case's last_note_on update by the note trigger, the note.
        let operations = try owner.query(
            "SELECT table_name || ' ' || operation FROM inclusion.audit_event WHERE pupil_id = $1 ORDER BY id",
            [pupil]
        ).map { try $0.decode(String.self, 0) }
        #expect(
            operations == [
                "pupil INSERT", "pupil UPDATE", "pupil_case INSERT", "pupil_case UPDATE", "case_note INSERT",
            ]
        )
        let hashesBefore = try world.payloadHashes(pupil: pupil)
        #expect(hashesBefore.count == 5)

        // Redaction belongs to the retention purge: not an admin's, not a SENCO's.
        for login in ["boss", "senco_a"] {
            let refused = #expect(throws: PostgresError.self) {
                try world.connect(login).query("SELECT inclusion.audit_redact($1)", [pupil])
            }
            #expect(refused?.sqlState == "42501", "\(login)")
        }
        let service = try world.database.connect(as: world.database.daemonLogin)
        let redacted: Int = try auditValue(service, "SELECT inclusion.audit_redact($1)", [pupil])
        #expect(redacted == 5)

        let after = try #require(
            try owner.query(
                """
                SELECT count(*), count(payload), count(redacted_at),
                       string_agg(operation || ' ' || coalesce(payload::text, '-'), '; ' ORDER BY id)
                       FILTER (WHERE operation = 'REDACT')
                FROM inclusion.audit_event WHERE pupil_id = $1
                """,
                [pupil]
            ).first
        )
        // Five emptied payloads and one record of the redaction, with a count and nothing else.
        #expect(after.texts == ["6", "1", "5", #"REDACT {"redacted_events": 5}"#])
        #expect(Array(try world.payloadHashes(pupil: pupil).prefix(5)) == hashesBefore)
        #expect(try world.verify().ok == true)
        // Nothing is left to redact the second time.
        #expect(try auditValue(service, "SELECT inclusion.audit_redact($1)", [pupil]) as Int == 0)
    }

    @Test func aPupilOnRollOrWithinRetentionIsNotRedacted() throws {
        let world = try Self.world.get()
        let school = world.schools[0]
        let senco = try world.connect("senco_a")
        let onRoll = try world.addPupil(senco, school: school, body: "701100600002", family: "Kept")
        let recentLeaver = try world.addPupil(senco, school: school, body: "701100600003", family: "Kept")
        try senco.query("UPDATE inclusion.pupil SET left_on = '2025-07-20' WHERE id = $1", [recentLeaver])
        let service = try world.database.connect(as: world.database.daemonLogin)
        for pupil in [onRoll, recentLeaver] {
            let refused = #expect(throws: PostgresError.self) {
                try service.query("SELECT inclusion.audit_redact($1)", [pupil])
            }
            #expect(refused?.sqlState == "IN409")
        }
        let owner = try world.owner()
        let emptied: Int = try auditValue(
            owner,
            "SELECT count(*)::integer FROM inclusion.audit_event WHERE pupil_id IN ($1, $2) AND payload IS NULL",
            [onRoll, recentLeaver]
        )
        #expect(emptied == 0)
    }

    @Test(arguments: [
        """
        UPDATE inclusion.audit_event SET actor = 'someone_else' WHERE id = (SELECT min(id) FROM inclusion.audit_event)
        """,
        """
        UPDATE inclusion.audit_event SET payload = NULL, redacted_at = now()
        WHERE id = (SELECT min(id) FROM inclusion.audit_event)
        """,
        "DELETE FROM inclusion.audit_event WHERE id = (SELECT min(id) FROM inclusion.audit_event)",
        "TRUNCATE inclusion.audit_event",
    ])
    func theOwnerCannotChangeEventsDirectly(sql: SQL) throws {
        try Self.expectAppendOnly(sql)
    }

    /// BUG (sql/0001_foundation.sql, `inclusion.audit_refuse_change`): the trigger function shared by
    /// audit_event and audit_block reads `NEW.payload`, `NEW.redacted_at`, … in one IF expression, fields
    /// audit_block does not have. Every UPDATE, DELETE or TRUNCATE of audit_block therefore fails with 42703
    /// ("record "new" has no field "payload"") instead of IN901: still refused, but reported as a broken schema
    /// (StoreError `.other`, not permission denied).
    @Test(arguments: [
        "UPDATE inclusion.audit_block SET prev_hash = NULL WHERE id = (SELECT max(id) FROM inclusion.audit_block)",
        "DELETE FROM inclusion.audit_block WHERE id = (SELECT max(id) FROM inclusion.audit_block)",
        "TRUNCATE inclusion.audit_block",
    ])
    func theOwnerCannotChangeBlocksDirectly(sql: SQL) throws {
        try Self.expectAppendOnly(sql)
    }

    static func expectAppendOnly(_ sql: SQL) throws {
        let world = try Self.world.get()
        let owner = try world.owner()
        let before: Int = try auditValue(owner, "SELECT count(*) FROM inclusion.audit_event")
        #expect(before > 0)
        let error = #expect(throws: PostgresError.self) { try owner.query(sql) }
        #expect(error?.sqlState == "IN901", "\(error?.debugDescription ?? "")")
        #expect(error?.code == .application)
    }

    @Test func theOwnerCannotFakeARedactionToRewriteAPayload() throws {
        let world = try Self.world.get()
        let owner = try world.owner()
        try owner.query("BEGIN")
        try owner.query("SELECT set_config('inclusion.redacting', 'on', true)")
        let error = #expect(throws: PostgresError.self) {
            try owner.query(
                """
                UPDATE inclusion.audit_event SET payload = '{"forged": true}', redacted_at = now()
                WHERE id = (SELECT min(id) FROM inclusion.audit_event)
                """
            )
        }
        try owner.query("ROLLBACK")
        #expect(error?.sqlState == "IN901")
    }

    @Test func recordingAnAccessAppendsOneAccessEvent() throws {
        let world = try Self.world.get()
        let school = world.schools[0]
        let senco = try world.connect("senco_a")
        let pupil = try world.addPupil(senco, school: school, body: "701100700001")
        try senco.query("SELECT inclusion.audit_access($1, 'pupil show')", [pupil])
        let events = try world.events(table: "pupil", row: pupil)
        #expect(events.map(\.operation) == ["INSERT", "ACCESS"])
        let access = try #require(events.last)
        #expect(access.actor == world.database.login("senco_a"))
        #expect(access.pupil == pupil)
        #expect(access.school == school)
        #expect(access.payload == #"{"access": "pupil show"}"#)
        #expect(access.hashMatches)
        let owner = try world.owner()
        #expect(
            try auditValue(owner, "SELECT event_count FROM inclusion.audit_block WHERE id = $1", [access.block]) as Int
                == 1
        )
    }

    /// BUG (sql/0001_foundation.sql, `inclusion.audit_access`): the function is SECURITY DEFINER and granted to
    /// SENCOs and staff, but never checks that the pupil is in one of `session_user`'s schools (DESIGN §3: such
    /// functions limit what they change to the caller's schools). A SENCO can write ACCESS events, attributed to
    /// themselves, about any pupil of the trust, and about pupil ids that do not exist.
    @Test func recordingAnAccessIsLimitedToTheCallersSchools() throws {
        let world = try Self.world.get()
        let otherSchool = world.schools[1]
        let otherSENCO = try world.connect("senco_b")
        let pupil = try world.addPupil(otherSENCO, school: otherSchool, body: "701100800001")
        let senco = try world.connect("senco_a")
        let error = #expect(throws: PostgresError.self) {
            try senco.query("SELECT inclusion.audit_access($1, 'pupil show')", [pupil])
        }
        #expect(error?.sqlState == "IN403")
        #expect(try world.events(table: "pupil", row: pupil).map(\.operation) == ["INSERT"])
    }
}

/// Tampering behind the triggers' back, as the cluster superuser, in a database of its own so the other suite's
/// chain stays whole. Each test restores what it broke, and the suite runs one test at a time.
@Suite("Audit chain tampering", .serialized)
struct AuditTamperTests {
    static let database = Result { try TestDatabase.create(suite: "audittamper") }
    static let world = Result { () throws -> AuditChainTests.World in
        let world = try AuditChainTests.World(database: try AuditTamperTests.database.get())
        let senco = try world.connect("senco_a")
        for serial in 1...3 {
            _ = try world.addPupil(senco, school: world.schools[0], body: "70120010000\(serial)", family: "Original")
        }
        _ = try world.insert(
            senco,
            """
            INSERT INTO inclusion.term (school_id, name, first_day, last_day)
            VALUES ($1, 'Autumn', '2025-09-01', '2025-12-19')
            """,
            [world.schools[0]]
        )
        return world
    }

    /// The middle pupil insert's event: there are blocks before and after it.
    static func pupilEvent(_ world: AuditChainTests.World) throws -> AuditChainTests.Event {
        let events = try world.eventsOf(table: "pupil", operation: "INSERT")
        #expect(events.count == 3)
        return try #require(events.dropFirst().first)
    }

    static func tamper(_ world: AuditChainTests.World, _ sql: SQL, _ parameters: [any PostgresBindable]) throws {
        let superuser = try world.superuser()
        try superuser.query("SET session_replication_role = replica")
        #expect(try superuser.query(sql, parameters).affectedRows == 1)
    }

    @Test func aChangedPayloadIsReportedAtItsEvent() throws {
        let world = try Self.world.get()
        #expect(try world.verify().ok == true)
        let event = try Self.pupilEvent(world)
        let original = try #require(event.payload)
        try Self.tamper(
            world,
            #"""
            UPDATE inclusion.audit_event SET payload = jsonb_set(payload, '{new,family_name}', '"Forged"') WHERE id = $1
            """#,
            [event.id]
        )
        let report = try world.verify()
        #expect(report.ok == false)
        #expect(report.brokenEvent == event.id)
        #expect(report.brokenBlock == event.block)

        try Self.tamper(
            world,
            "UPDATE inclusion.audit_event SET payload = $2::jsonb WHERE id = $1",
            [event.id, original]
        )
        #expect(try world.verify().ok == true)
    }

    @Test func aChangedPayloadWithARecomputedHashIsReportedAtItsBlock() throws {
        let world = try Self.world.get()
        let event = try Self.pupilEvent(world)
        let original = try #require(event.payload)
        try Self.tamper(
            world,
            #"""
            UPDATE inclusion.audit_event SET payload = jsonb_set(payload, '{new,family_name}', '"Forged"'),
                payload_hash = inclusion.payload_hash(jsonb_set(payload, '{new,family_name}', '"Forged"'))
            WHERE id = $1
            """#,
            [event.id]
        )
        let report = try world.verify()
        #expect(report.ok == false)
        #expect(report.brokenBlock == event.block)

        try Self.tamper(
            world,
            """
            UPDATE inclusion.audit_event SET payload = $2::jsonb, payload_hash = inclusion.payload_hash($2::jsonb)
            WHERE id = $1
            """,
            [event.id, original]
        )
        #expect(try world.verify().ok == true)
    }

    @Test func aDeletedEventIsReportedAtItsBlock() throws {
        let world = try Self.world.get()
        let event = try Self.pupilEvent(world)
        let superuser = try world.superuser()
        let saved: String = try auditValue(
            superuser,
            "SELECT to_jsonb(e)::text FROM inclusion.audit_event e WHERE id = $1",
            [event.id]
        )
        try Self.tamper(world, "DELETE FROM inclusion.audit_event WHERE id = $1", [event.id])
        let report = try world.verify()
        #expect(report.ok == false)
        #expect(report.brokenBlock == event.block)

        try Self.tamper(
            world,
            """
            INSERT INTO inclusion.audit_event OVERRIDING SYSTEM VALUE
            SELECT * FROM jsonb_populate_record(NULL::inclusion.audit_event, $1::jsonb)
            """,
            [saved]
        )
        #expect(try world.verify().ok == true)
    }

    /// BUG (sql/0001_foundation.sql, `inclusion.audit_event_digest`): the digest joins the metadata with
    /// `concat_ws('|', …)`, which skips NULLs, so `row_id = 5, pupil_id = NULL` and `row_id = NULL, pupil_id = 5`
    /// hash alike. Metadata can be moved between the nullable columns (row, pupil, school) without `audit verify`
    /// noticing.
    @Test func movingAnEventsIdsBetweenColumnsIsReported() throws {
        let world = try Self.world.get()
        let events = try world.eventsOf(table: "term", operation: "INSERT")
        let event = try #require(events.first)
        let row = try #require(event.row)
        #expect(event.pupil == nil)
        try Self.tamper(
            world,
            "UPDATE inclusion.audit_event SET row_id = NULL, pupil_id = $2 WHERE id = $1",
            [event.id, row]
        )
        let report = try world.verify()
        try Self.tamper(
            world,
            "UPDATE inclusion.audit_event SET row_id = $2, pupil_id = NULL WHERE id = $1",
            [event.id, row]
        )
        #expect(report.ok == false)
        #expect(report.brokenBlock == event.block)
        #expect(try world.verify().ok == true)
    }
}

/// A chain extended from a REPEATABLE READ transaction, in a database of its own.
@Suite("Audit chain under snapshot isolation")
struct AuditSnapshotTests {
    static let database = Result { try TestDatabase.create(suite: "auditsnapshot") }
    static let world = Result { try AuditChainTests.World(database: try AuditSnapshotTests.database.get()) }

    /// In a REPEATABLE READ transaction whose snapshot predates the chain's head, sealing a block reads the head
    /// FOR UPDATE and gets a serialization failure instead of linking to a stale block and forking the chain;
    /// `transaction` retries it, and the retry links to the real head.
    @Test func aWriterInARepeatableReadTransactionLinksToTheLatestBlock() throws {
        let world = try Self.world.get()
        let school = world.schools[0]
        let first = try world.connect("senco_a")
        let second = try world.connect("senco_a")
        let early = try world.addPupil(first, school: school, body: "701300100001")
        let late = try world.addPupil(first, school: school, body: "701300100002")
        let refused = #expect(throws: PostgresError.self) {
            try first.transaction(.repeatableRead, maxAttempts: 1) { transaction in
                _ = try transaction.query("SELECT count(*) FROM inclusion.pupil")  // takes the snapshot
                try second.query("UPDATE inclusion.pupil SET given_name = 'Second' WHERE id = $1", [late])
                try transaction.query("UPDATE inclusion.pupil SET given_name = 'First' WHERE id = $1", [early])
            }
        }
        #expect(refused?.code == .serializationFailure)
        var attempts = 0
        try first.transaction(.repeatableRead, maxAttempts: 3) { transaction in
            attempts += 1
            _ = try transaction.query("SELECT count(*) FROM inclusion.pupil")
            if attempts == 1 {
                try second.query("UPDATE inclusion.pupil SET given_name = 'Again' WHERE id = $1", [late])
            }
            try transaction.query("UPDATE inclusion.pupil SET given_name = 'First' WHERE id = $1", [early])
        }
        #expect(attempts == 2)
        let report = try world.verify()
        #expect(report.ok == true, "\(report)")
    }
}

// MARK: - Helpers

extension AuditChainTests {

    /// One row of `inclusion.audit_event`.
    struct Event: Sendable {
        let id: Int
        let block: Int
        let actor: String
        let table: String
        let operation: String
        let row: Int?
        let pupil: Int?
        let school: Int?
        let payload: String?
        let hashMatches: Bool
    }

    /// What `inclusion.audit_verify()` returned.
    struct Report: Sendable, CustomStringConvertible {
        let ok: Bool?
        let blocks: Int?
        let events: Int?
        let brokenBlock: Int?
        let brokenEvent: Int?
        let problem: String?
        var description: String {
            "ok \(ok.map(String.init) ?? "-") broken block \(brokenBlock.map(String.init) ?? "-") event "
                + "\(brokenEvent.map(String.init) ?? "-"): \(problem ?? "")"
        }
    }

    /// Two schools with an admin (`boss`), SENCOs and a teacher, added by the owner.
    struct World: Sendable {
        let database: TestDatabase
        let schools: [Int]

        static let logger: Logger = {
            var logger = Logger(label: "inclusion.tests.audit")
            logger.logLevel = .warning
            return logger
        }()

        init(database: TestDatabase) throws {
            self.database = database
            let owner = try database.connect(as: database.owner)
            defer { owner.close() }
            var schools: [Int] = []
            for urn in [200_001, 200_002] {
                schools.append(
                    try auditValue(
                        owner,
                        "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, $2, 801) RETURNING id",
                        [urn, "Audit School \(urn)"]
                    )
                )
            }
            let add: SQL = "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], NULL, NULL)"
            try owner.query(add, [database.login("boss"), "Admin", "admin", String?.none])
            for (login, kind, school) in [
                ("senco_a", "senco", schools[0]), ("senco_a2", "senco", schools[0]), ("staff_a", "staff", schools[0]),
                ("senco_b", "senco", schools[1]),
            ] {
                try owner.query(add, [database.login(login), login, kind, PostgresArray(["\(school)"])])
            }
            self.schools = schools
        }

        func connect(_ login: String) throws -> Connection { try database.connect(as: database.login(login)) }

        func owner() throws -> Connection { try database.connect(as: database.owner) }

        func superuser() throws -> Connection {
            try Connection(conninfo: database.superuserConninfo, logger: Self.logger)
        }

        func insert(_ connection: Connection, _ sql: SQL, _ parameters: [any PostgresBindable]) throws -> Int {
            try auditValue(connection, "\(sql) RETURNING id", parameters)
        }

        func addPupil(_ connection: Connection, school: Int, body: String, family: String = "Audited") throws -> Int {
            try insert(
                connection,
                """
                INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                    academic_year, sen_status) VALUES ($1, $2, 'Pat', $3, '2015-02-03', '5', 2025, 'K')
                """,
                [school, auditUPN(body), family]
            )
        }

        func addCase(_ connection: Connection, school: Int, pupil: Int) throws -> Int {
            try insert(
                connection,
                """
                INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary)
                VALUES ($1, $2, 'concern', 'Audit')
                """,
                [school, pupil]
            )
        }

        func addPlan(_ connection: Connection, school: Int, pupil: Int) throws -> Int {
            try insert(
                connection,
                """
                INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, starts, review_cycle, next_review_due)
                VALUES ($1, $2, 'sen-support', '2025-09-01', 'termly', '2025-12-19')
                """,
                [school, pupil]
            )
        }

        func addIntervention(_ connection: Connection, school: Int) throws -> Int {
            try insert(
                connection,
                """
                INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes)
                VALUES ($1, 'Audit group', 'semh', '2025-09-01', '2025-12-19', 1, 30)
                """,
                [school]
            )
        }

        private static let eventColumns: SQL = """
            SELECT id, block_id, actor, table_name, operation, row_id, pupil_id, school_id, payload::text,
                   payload IS NULL OR payload_hash = inclusion.payload_hash(payload)
            FROM inclusion.audit_event
            """

        /// The events of one row, oldest first, read as the owner.
        func events(table: String, row: Int) throws -> [Event] {
            try read("\(Self.eventColumns) WHERE table_name = $1 AND row_id = $2 ORDER BY id", [table, row])
        }

        func eventsOf(table: String, operation: String) throws -> [Event] {
            try read("\(Self.eventColumns) WHERE table_name = $1 AND operation = $2 ORDER BY id", [table, operation])
        }

        private func read(_ sql: SQL, _ parameters: [any PostgresBindable]) throws -> [Event] {
            let owner = try owner()
            return try owner.query(sql, parameters).map { row in
                Event(
                    id: try row.decode(Int.self, 0),
                    block: try row.decode(Int.self, 1),
                    actor: try row.decode(String.self, 2),
                    table: try row.decode(String.self, 3),
                    operation: try row.decode(String.self, 4),
                    row: try row.decode(Int?.self, 5),
                    pupil: try row.decode(Int?.self, 6),
                    school: try row.decode(Int?.self, 7),
                    payload: try row.decode(String?.self, 8),
                    hashMatches: try row.decode(Bool.self, 9)
                )
            }
        }

        func payloadHashes(pupil: Int) throws -> [String] {
            let owner = try owner()
            return try owner.query(
                "SELECT encode(payload_hash, 'hex') FROM inclusion.audit_event WHERE pupil_id = $1 ORDER BY id",
                [pupil]
            ).map { try $0.decode(String.self, 0) }
        }

        /// `audit_verify()` as the admin login.
        func verify() throws -> Report {
            let admin = try connect("boss")
            let row = try #require(try admin.query("SELECT * FROM inclusion.audit_verify()").first)
            return Report(
                ok: try row.decode(Bool?.self, "ok"),
                blocks: try row.decode(Int?.self, "blocks"),
                events: try row.decode(Int?.self, "events"),
                brokenBlock: try row.decode(Int?.self, "broken_block"),
                brokenEvent: try row.decode(Int?.self, "broken_event"),
                problem: try row.decode(String?.self, "problem")
            )
        }
    }
}

/// A valid UPN: the DfE check letter (characters 2-13 weighted 2-13, mod 23) before the 12 given.
private func auditUPN(_ body: String) -> String {
    let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
    var sum = 0
    for (offset, character) in body.enumerated() {
        sum += (character.wholeNumberValue ?? alphabet.firstIndex(of: character) ?? 0) * (offset + 2)
    }
    return String(alphabet[sum % 23]) + body
}

private func auditValue<T: PostgresDecodable>(
    _ connection: Connection,
    _ sql: SQL,
    _ parameters: [any PostgresBindable] = []
) throws -> T {
    try #require(try connection.query(sql, parameters).first).decode(T.self, 0)
}
