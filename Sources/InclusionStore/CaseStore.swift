import InclusionCore
public import Postgres

/// Cases about pupils and their chronology of notes. Every statement runs as the caller, under row-level
/// security: SENCOs open, move and close cases of their schools; staff may add notes but never read confidential
/// ones.
public struct CaseStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The columns of ``PupilCase`` (without notes), named as ``decodeCase(_:notes:)`` reads them, for every query
    /// that returns cases.
    static let caseColumns: SQL = """
        c.id, p.upn, s.urn, c.category, c.summary, c.state, c.opened_on, c.closed_on, c.outcome, c.last_note_on
        """
    static let caseTables: SQL = """
        inclusion.pupil_case c
        JOIN inclusion.pupil p ON p.school_id = c.school_id AND p.id = c.pupil_id
        JOIN inclusion.school s ON s.id = c.school_id
        """

    static func decodeCase(_ row: Row, notes: [CaseNote]? = nil) throws -> PupilCase {
        PupilCase(
            id: try row.decode(Int64.self, "id"),
            upn: try row.decode(String.self, "upn"),
            schoolURN: try row.decode(Int.self, "urn"),
            category: try row.decode(CaseCategory.self, "category"),
            summary: try row.decode(String.self, "summary"),
            state: try row.decode(CaseState.self, "state"),
            openedOn: try row.decode(Day.self, "opened_on"),
            closedOn: try row.decode(Day?.self, "closed_on"),
            outcome: try row.decode(String?.self, "outcome"),
            lastNoteOn: try row.decode(Day?.self, "last_note_on"),
            notes: notes
        )
    }

    static func caseNotFound(_ id: Int64) -> StoreError {
        .notFound("case", "no case \(id) is visible to your login; check the number with `inclusionctl case list`")
    }

    /// Opens a case about a pupil on `day` (the day the concern was raised: today, or earlier when it is logged
    /// late); returns its id. Notes dated before it are refused by the database.
    public func open(
        pupil: PupilRef,
        category: CaseCategory,
        summary: String,
        on day: Day? = nil,
        today: Day
    ) throws(StoreError) -> Int64 {
        try StoreError.translating {
            let day = day ?? today
            guard day <= today else {
                throw StoreError.invalid(
                    "on",
                    "the case's opening day is in the future; give the day the concern was raised"
                )
            }
            return try connection.run(
                """
                INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
                VALUES ($1, $2, $3, $4, $5) RETURNING id
                """,
                [pupil.schoolID, pupil.id, category, summary, day]
            )[0].decode(Int64.self, "id")
        }
    }

    /// Adds a note to an open case; returns the note's id. Staff logins may do this too.
    public func addNote(
        case id: Int64,
        kind: NoteKind,
        text: String,
        on day: Day,
        confidential: Bool,
        today: Day
    ) throws(StoreError) -> Int64 {
        guard day <= today else {
            throw StoreError.invalid("on", "the note's date is in the future; give the day it happened")
        }
        // The note takes the case's school; the trigger refuses notes on a closed case. No RETURNING: a staff login
        // records confidential notes it may not read back, so the id comes from the sequence's currval().
        return try connection.storeTransaction { connection in
            let inserted = try connection.run(
                """
                INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on, confidential)
                SELECT c.school_id, c.id, $2, $3, $4::date, $5 FROM inclusion.pupil_case c WHERE c.id = $1
                """,
                [id, kind, text, day, confidential]
            )
            guard inserted.affectedRows == 1 else { throw Self.caseNotFound(id) }
            return try connection.run("SELECT currval(pg_get_serial_sequence('inclusion.case_note', 'id')) AS id")[0]
                .decode(Int64.self, "id")
        }
    }

    /// Moves a case between open, assessing and monitoring. Closing goes through ``close(case:outcome:today:)``,
    /// which records an outcome.
    public func move(case id: Int64, to next: CaseState) throws(StoreError) {
        guard next != .closed else {
            throw StoreError.invalid("to", "close a case with `inclusionctl case close CASE --outcome TEXT`")
        }
        try connection.storeTransaction { connection in
            let current = try lockedState(of: id, connection)
            let next = try current.move(to: next)
            try connection.run("UPDATE inclusion.pupil_case SET state = $2 WHERE id = $1", [id, next])
        }
    }

    /// Closes a case with its outcome, dated `today`. Closed is final.
    public func close(case id: Int64, outcome: String, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            let current = try lockedState(of: id, connection)
            _ = try current.move(to: .closed, field: "case")
            try connection.run(
                "UPDATE inclusion.pupil_case SET state = 'closed', closed_on = $2, outcome = $3 WHERE id = $1",
                [id, today, outcome]
            )
        }
    }

    /// Reads a case's state, holding its row until the transaction ends so two moves cannot interleave.
    private func lockedState(of id: Int64, _ connection: Connection) throws -> CaseState {
        let rows = try connection.run("SELECT state FROM inclusion.pupil_case WHERE id = $1 FOR UPDATE", [id])
        guard let row = rows.first else { throw Self.caseNotFound(id) }
        return try row.decode(CaseState.self, "state")
    }

    /// One case with its chronology (oldest first). Staff do not see notes marked confidential.
    public func show(case id: Int64) throws(StoreError) -> PupilCase {
        try StoreError.translating {
            let rows = try connection.run(
                """
                SELECT \(Self.caseColumns),
                       coalesce((SELECT jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind, 'on', n.noted_on,
                           'text', n.body, 'confidential', n.confidential, 'author', n.author)
                           ORDER BY n.noted_on, n.id) FROM inclusion.case_note n WHERE n.case_id = c.id), '[]')::text
                           AS notes
                FROM \(Self.caseTables) WHERE c.id = $1
                """,
                [id]
            )
            guard let row = rows.first else { throw Self.caseNotFound(id) }
            let notes = try JSONRecord.decode([CaseNote].self, from: try row.decode(String.self, "notes"))
            return try Self.decodeCase(row, notes: notes)
        }
    }

    /// Cases the caller can see, optionally of one school and only those not closed; newest first.
    public func list(school: Int?, openOnly: Bool) throws(StoreError) -> [PupilCase] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT \(Self.caseColumns) FROM \(Self.caseTables)
                WHERE ($1::integer IS NULL OR c.school_id = $1) AND (NOT $2 OR c.state <> 'closed')
                ORDER BY s.urn, c.opened_on DESC, c.id DESC
                """,
                [school, openOnly]
            ).map { row in try Self.decodeCase(row) }
        }
    }
}
