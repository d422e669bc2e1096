import InclusionCore
public import Postgres

/// Pupils and their needs. Every statement runs as the caller, under row-level security.
public struct PupilStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The columns of ``Pupil``, named as ``decodePupil(_:)`` reads them, for every query that returns pupils. A
    /// constant spliced into SQL text: never a value (values are always $n parameters).
    static let pupilColumns: SQL = """
        p.id, p.upn, p.given_name, p.family_name, p.date_of_birth, p.year_group, p.academic_year, s.urn,
        p.sen_status, coalesce((SELECT jsonb_agg(jsonb_build_object('code', n.code, 'rank', n.rank)
            ORDER BY n.rank, n.code) FROM inclusion.pupil_need n WHERE n.pupil_id = p.id), '[]')::text AS needs,
        p.eal, p.pupil_premium, p.looked_after, p.young_carer, p.attendance_concern, p.key_worker, p.left_on
        """

    static func decodePupil(_ row: Row) throws -> Pupil {
        Pupil(
            id: try row.decode(Int64.self, "id"),
            upn: try row.decode(String.self, "upn"),
            givenName: try row.decode(String.self, "given_name"),
            familyName: try row.decode(String.self, "family_name"),
            dateOfBirth: try row.decode(Day.self, "date_of_birth"),
            yearGroup: try row.decode(String.self, "year_group"),
            academicYear: try row.decode(Int.self, "academic_year"),
            schoolURN: try row.decode(Int.self, "urn"),
            senStatus: try row.decode(String.self, "sen_status"),
            needs: try JSONRecord.decode([Pupil.Need].self, from: try row.decode(String.self, "needs")),
            eal: try row.decode(Bool.self, "eal"),
            pupilPremium: try row.decode(Bool.self, "pupil_premium"),
            lookedAfter: try row.decode(Bool.self, "looked_after"),
            youngCarer: try row.decode(Bool.self, "young_carer"),
            attendanceConcern: try row.decode(Bool.self, "attendance_concern"),
            keyWorker: try row.decode(String?.self, "key_worker"),
            leftOn: try row.decode(Day?.self, "left_on")
        )
    }

    /// Finds a pupil the caller can see by UPN, optionally at one school (its id).
    ///
    /// A UPN identifies one child, but the same UPN can be on two schools' rolls (a dual-registered pupil, or a
    /// transfer recorded twice), and an admin or a SENCO of both sees both. On roll beats left: a pupil on roll at
    /// one school and left at another resolves to the one on roll. Two candidates that tie (on roll at two schools,
    /// or left from two and on roll at none) are never chosen between: that is an error asking for the school, so
    /// a change cannot land on the wrong school's record.
    ///
    /// - Throws: ``StoreError`` `.notFound` (field `upn`) when no pupil with this UPN is visible (at that school),
    ///   `.invalid` (field `upn`) when it is ambiguous.
    public func resolve(upn: UPN, school: Int? = nil) throws(StoreError) -> PupilRef {
        try StoreError.translating {
            let rows = try connection.run(
                """
                SELECT id, school_id, upn, date_of_birth, sen_status, left_on IS NULL AS on_roll
                FROM inclusion.pupil WHERE upn = $1 AND ($2::integer IS NULL OR school_id = $2)
                ORDER BY left_on IS NULL DESC, id
                LIMIT 3
                """,
                [upn.text, school]
            )
            guard let row = rows.first else {
                let place = school == nil ? "" : " at that school"
                throw StoreError.notFound("upn", "no pupil with this UPN is visible to your login\(place)")
            }
            let onRoll = try row.decode(Bool.self, "on_roll")
            let ties = try rows.filter { try $0.decode(Bool.self, "on_roll") == onRoll }.count
            if ties > 1 {
                let many = ties > 2 ? "more than 2" : "2"
                throw StoreError.invalid(
                    "upn",
                    "this UPN is \(onRoll ? "on roll at" : "recorded as left at") \(many) schools you can see; say which "
                        + "with --school URN"
                )
            }
            return PupilRef(
                id: try row.decode(Int64.self, "id"),
                schoolID: try row.decode(Int.self, "school_id"),
                upn: try row.decode(String.self, "upn"),
                dateOfBirth: try row.decode(Day.self, "date_of_birth"),
                senStatus: try row.decode(SENStatus.self, "sen_status")
            )
        }
    }

    /// Adds a pupil to a school; returns the id.
    public func add(school: Int, upn: UPN, fields: PupilFields, today: Day) throws(StoreError) -> Int64 {
        try StoreError.translating {
            guard let given = fields.givenName, let family = fields.familyName, let dateOfBirth = fields.dateOfBirth,
                let yearGroup = fields.yearGroup
            else {
                throw StoreError.invalid("pupil", "given name, family name, date of birth and year group are required")
            }
            return try connection.run(
                """
                INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                    academic_year, sen_status, eal, pupil_premium, looked_after, young_carer, attendance_concern,
                    key_worker, sen_status_since)
                VALUES ($1::integer, $2::text, $3::text, $4::text, $5::date, $6::text, $7::integer, $8::text,
                    $9::boolean, $10::boolean, $11::boolean, $12::boolean, $13::boolean, $14::name,
                    CASE WHEN $8::text <> 'N' THEN $15::date END)
                RETURNING id
                """,
                [
                    school, upn.text, given, family, dateOfBirth, yearGroup,
                    AcademicYear(containing: today).startYear, fields.senStatus ?? .noSEN,
                    fields.eal ?? false, fields.pupilPremium ?? false, fields.lookedAfter ?? false,
                    fields.youngCarer ?? false, fields.attendanceConcern ?? false, fields.keyWorker,
                    today,
                ]
            )[0].decode(Int64.self, "id")
        }
    }

    /// Changes the given fields of a pupil. Setting SEN status N removes their recorded needs in the same
    /// transaction (needs are recorded only for K and E).
    public func update(_ pupil: PupilRef, fields: PupilFields, today: Day) throws(StoreError) {
        try connection.storeTransaction { connection in
            if fields.senStatus == .noSEN {
                try connection.run("DELETE FROM inclusion.pupil_need WHERE pupil_id = $1", [pupil.id])
            }
            try connection.run(
                """
                UPDATE inclusion.pupil SET
                    given_name = coalesce($2::text, given_name),
                    family_name = coalesce($3::text, family_name),
                    date_of_birth = coalesce($4::date, date_of_birth),
                    year_group = coalesce($5::text, year_group),
                    academic_year = CASE WHEN $5::text IS NULL THEN academic_year ELSE $6::integer END,
                    sen_status = coalesce($7::text, sen_status),
                    sen_status_since = CASE WHEN $7::text <> 'N' AND sen_status = 'N' THEN $13::date
                                            ELSE sen_status_since END,
                    eal = coalesce($8::boolean, eal),
                    pupil_premium = coalesce($9::boolean, pupil_premium),
                    looked_after = coalesce($10::boolean, looked_after),
                    young_carer = coalesce($11::boolean, young_carer),
                    attendance_concern = coalesce($12::boolean, attendance_concern),
                    key_worker = coalesce($14::name, key_worker)
                WHERE id = $1
                """,
                [
                    pupil.id, fields.givenName, fields.familyName, fields.dateOfBirth,
                    fields.yearGroup, AcademicYear(containing: today).startYear, fields.senStatus,
                    fields.eal, fields.pupilPremium, fields.lookedAfter, fields.youngCarer, fields.attendanceConcern,
                    today, fields.keyWorker,
                ]
            )
        }
    }

    /// Replaces a pupil's recorded needs.
    public func setNeeds(_ pupil: PupilRef, primary: NeedCode, secondary: NeedCode?) throws(StoreError) {
        try connection.storeTransaction { connection in
            try connection.run("DELETE FROM inclusion.pupil_need WHERE pupil_id = $1", [pupil.id])
            try connection.run(
                """
                INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank)
                SELECT $1::integer, $2::bigint, code, rank
                FROM (VALUES ($3::text, 'primary'), ($4::text, 'secondary')) v(code, rank)
                WHERE code IS NOT NULL
                """,
                [pupil.schoolID, pupil.id, primary, secondary]
            )
        }
    }

    /// One whole pupil record; appends an access event to the audit trail in the same transaction.
    public func show(_ pupil: PupilRef) throws(StoreError) -> Pupil {
        try connection.storeTransaction { connection in
            let rows = try connection.run(
                "SELECT \(Self.pupilColumns) FROM inclusion.pupil p JOIN inclusion.school s ON s.id = p.school_id WHERE p.id = $1",
                [pupil.id]
            )
            try connection.run("SELECT inclusion.audit_access($1, 'pupil show')", [pupil.id])
            return try Self.decodePupil(rows[0])
        }
    }

    /// Pupils the caller can see, on roll, optionally of one school and SEN status, streamed in UPN order.
    ///
    /// - Throws: a ``StoreError``, or whatever `body` throws.
    public func list(school: Int?, sen: SENStatus?, _ body: (Pupil) throws -> Void) throws {
        do {
            try connection.stream(
                """
                SELECT \(Self.pupilColumns) FROM inclusion.pupil p JOIN inclusion.school s ON s.id = p.school_id
                WHERE p.left_on IS NULL AND ($1::integer IS NULL OR p.school_id = $1) AND ($2::text IS NULL OR p.sen_status = $2)
                ORDER BY s.urn, p.family_name, p.given_name, p.upn
                """,
                [school, sen]
            ) { row in try body(try StoreError.translating { try Self.decodePupil(row) }) }
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }
}
