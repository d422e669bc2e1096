import InclusionCore
public import Postgres

/// Interventions, their groups of pupils and their session logs. Every statement runs as the caller, under
/// row-level security: SENCOs set interventions up and end them; staff log sessions.
public struct InterventionStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The columns of ``Intervention``, named as ``decodeIntervention(_:)`` reads them, for every query that returns
    /// interventions. A constant spliced into SQL text: never a value (values are always $n parameters).
    static let interventionColumns: SQL = """
        i.id, s.urn, i.name, i.area, i.starts, i.ends, i.per_week::text, i.minutes, i.cost_per_session,
        i.plan_id, i.baseline, i.target, i.staff_login, i.ended_on, coalesce(d.delivered, 0) AS delivered,
        coalesce(d.missed, 0) AS missed, d.last_delivered_on,
        coalesce((SELECT jsonb_agg(jsonb_build_object('upn', p.upn, 'exit_score', ip.exit_score) ORDER BY p.upn)
            FROM inclusion.intervention_pupil ip
            JOIN inclusion.pupil p ON p.school_id = ip.school_id AND p.id = ip.pupil_id
            WHERE ip.intervention_id = i.id), '[]')::text AS pupils
        """
    static let interventionTables: SQL = """
        inclusion.intervention i
        JOIN inclusion.school s ON s.id = i.school_id
        LEFT JOIN inclusion.intervention_delivery d ON d.intervention_id = i.id
        """

    static func decodeIntervention(_ row: Row) throws -> Intervention {
        let pupils = try JSONRecord.decode([Intervention.Member].self, from: try row.decode(String.self, "pupils"))
        return Intervention(
            id: try row.decode(Int64.self, "id"),
            upns: pupils.map(\.upn),
            schoolURN: try row.decode(Int.self, "urn"),
            name: try row.decode(String.self, "name"),
            area: try row.decode(AreaOfNeed.self, "area"),
            starts: try row.decode(Day.self, "starts"),
            ends: try row.decode(Day.self, "ends"),
            perWeek: try row.decode(Double.self, "per_week"),
            minutes: try row.decode(Int.self, "minutes"),
            costPerSession: try row.decode(Int?.self, "cost_per_session").map(Money.init(pence:)),
            plan: try row.decode(Int64?.self, "plan_id"),
            baseline: try row.decode(String?.self, "baseline"),
            target: try row.decode(String?.self, "target"),
            staffLogin: try row.decode(String.self, "staff_login"),
            endedOn: try row.decode(Day?.self, "ended_on"),
            delivered: try row.decode(Int.self, "delivered"),
            missed: try row.decode(Int.self, "missed"),
            lastDeliveredOn: try row.decode(Day?.self, "last_delivered_on"),
            pupils: pupils
        )
    }

    static func interventionNotFound(_ id: Int64) -> StoreError {
        .notFound(
            "intervention",
            "no intervention \(id) is visible to your login; check the number with `inclusionctl intervention list`"
        )
    }

    /// Sets up an intervention for one pupil or a group at one school, optionally delivering one of their plans;
    /// returns its id. The intervention and its group are written in one statement.
    public func add(pupils: [PupilRef], fields: InterventionFields) throws(StoreError) -> Int64 {
        guard let first = pupils.first else {
            throw StoreError.invalid("upn", "name at least one pupil")
        }
        guard pupils.allSatisfy({ $0.schoolID == first.schoolID }) else {
            throw StoreError.invalid(
                "upn",
                "the pupils are at different schools; a group meets at one school, so set up one intervention per "
                    + "school"
            )
        }
        guard Set(pupils.map(\.id)).count == pupils.count else {
            throw StoreError.invalid("upn", "a pupil is listed more than once")
        }
        return try connection.storeTransaction { connection in
            if let plan = fields.plan {
                let rows = try connection.run(
                    "SELECT pupil_id, status FROM inclusion.support_plan WHERE id = $1",
                    [plan]
                )
                guard let row = rows.first else { throw PlanStore.planNotFound(plan) }
                let owner = try row.decode(Int64.self, "pupil_id")
                guard pupils.contains(where: { $0.id == owner }) else {
                    throw StoreError.invalid("plan", "plan \(plan) is not a plan of any pupil in this group")
                }
                guard try row.decode(PlanStatus.self, "status") != .closed else {
                    throw StoreError.invalid("plan", "plan \(plan) is closed; link a draft or active plan")
                }
            }
            return try connection.run(
                """
                WITH i AS (
                    INSERT INTO inclusion.intervention (school_id, name, area, starts, ends, per_week, minutes,
                        cost_per_session, plan_id, baseline, target)
                    VALUES ($1, $2, $3, $4::date, $5::date, $6::numeric, $7, $8, $9, $10, $11)
                    RETURNING id, school_id
                )
                INSERT INTO inclusion.intervention_pupil (school_id, intervention_id, pupil_id)
                SELECT i.school_id, i.id, m.pupil_id FROM i, unnest($12::bigint[]) AS m(pupil_id)
                RETURNING intervention_id
                """,
                [
                    first.schoolID, fields.name, fields.area, fields.starts, fields.ends, fields.perWeek,
                    fields.minutes, fields.costPerSession?.pence,
                    fields.plan, fields.baseline, fields.target, PostgresArray(pupils.map(\.id)),
                ]
            )[0].decode(Int64.self, "intervention_id")
        }
    }

    /// Logs one session: delivered (with any pupils of the group absent) or missed with a reason; returns the
    /// session's id. Staff logins may do this.
    public func logSession(
        intervention id: Int64,
        on day: Day,
        missedReason: String?,
        absent: [PupilRef],
        today: Day
    ) throws(StoreError) -> Int64 {
        try logSessions(intervention: id, on: [day], missedReason: missedReason, absent: absent, today: today)[0]
    }

    /// Logs a session on each of `days` (a TA's week), all delivered with the same pupils absent or all missed for
    /// the same reason; returns the sessions' ids in the order of `days`. All or nothing: one bad day (outside the
    /// intervention's dates, or already logged) logs none.
    public func logSessions(
        intervention id: Int64,
        on days: [Day],
        missedReason: String?,
        absent: [PupilRef],
        today: Day
    ) throws(StoreError) -> [Int64] {
        guard !days.isEmpty else { throw StoreError.invalid("on", "name at least one day with --on") }
        guard days.allSatisfy({ $0 <= today }) else {
            throw StoreError.invalid("on", "the session date is in the future; log a session once it has happened")
        }
        if missedReason != nil && !absent.isEmpty {
            throw StoreError.invalid("absent", "a missed session has no absences; leave out --absent")
        }
        return try connection.storeTransaction { connection in
            // One statement for every day; the identity column numbers the rows in the order of `days`.
            let rows = try connection.run(
                """
                INSERT INTO inclusion.intervention_session (school_id, intervention_id, held_on, delivered,
                    missed_reason)
                SELECT i.school_id, i.id, d.day, $3::text IS NULL, $3
                FROM inclusion.intervention i, unnest($2::date[]) WITH ORDINALITY AS d(day, n)
                WHERE i.id = $1
                ORDER BY d.n
                RETURNING id
                """,
                [id, PostgresArray(days), missedReason]
            )
            guard !rows.isEmpty else { throw Self.interventionNotFound(id) }
            let sessions = try rows.map { try $0.decode(Int64.self, "id") }.sorted()
            if !absent.isEmpty {
                // An absent pupil must be in the group: the foreign key to the group refuses anyone else.
                try connection.run(
                    """
                    INSERT INTO inclusion.session_absence (school_id, session_id, intervention_id, pupil_id)
                    SELECT s.school_id, s.id, s.intervention_id, a.pupil_id
                    FROM inclusion.intervention_session s, unnest($2::bigint[]) AS a(pupil_id)
                    WHERE s.id = ANY($1::bigint[])
                    """,
                    [PostgresArray(sessions), PostgresArray(absent.map(\.id))]
                )
            }
            return sessions
        }
    }

    /// Ends an intervention on `day`, optionally recording a pupil's exit score. Ending again on the same day only
    /// records another pupil's score. For a group, `pupil` says whose score it is (it may be left out when the
    /// group has one pupil).
    public func end(intervention id: Int64, on day: Day, exitScore: String?, for pupil: PupilRef?, today: Day)
        throws(StoreError)
    {
        guard day <= today else {
            throw StoreError.invalid("on", "the end date is in the future; end the intervention once it has ended")
        }
        try connection.storeTransaction { connection in
            let rows = try connection.run(
                """
                SELECT i.ended_on,
                       (SELECT max(s.held_on) FROM inclusion.intervention_session s
                        WHERE s.school_id = i.school_id AND s.intervention_id = i.id) AS last_session,
                       (SELECT array_agg(ip.pupil_id ORDER BY ip.pupil_id) FROM inclusion.intervention_pupil ip
                        WHERE ip.school_id = i.school_id AND ip.intervention_id = i.id) AS members
                FROM inclusion.intervention i WHERE i.id = $1 FOR UPDATE OF i
                """,
                [id]
            )
            guard let row = rows.first else { throw Self.interventionNotFound(id) }
            let endedOn = try row.decode(Day?.self, "ended_on")
            let lastSession = try row.decode(Day?.self, "last_session")
            let members = try row.decode(PostgresTextArray.self, "members").elements.compactMap {
                $0.flatMap { Int64($0) }
            }
            if let endedOn, endedOn != day {
                throw StoreError.invalid("on", "intervention \(id) already ended on \(endedOn)")
            }
            if let lastSession, lastSession > day {
                throw StoreError.invalid(
                    "on",
                    "a session is logged on \(lastSession), after this end date; give the day of the last session or later"
                )
            }
            var scored: Int64?
            if exitScore != nil {
                if let pupil {
                    guard members.contains(pupil.id) else {
                        throw StoreError.invalid("for", "that pupil is not in this intervention's group")
                    }
                    scored = pupil.id
                } else {
                    guard members.count == 1 else {
                        throw StoreError.invalid(
                            "for",
                            "the group has \(members.count) pupils; say whose exit score it is with --for UPN"
                        )
                    }
                    scored = members[0]
                }
            }
            if endedOn == nil {
                try connection.run(
                    "UPDATE inclusion.intervention SET ended_on = $2::date WHERE id = $1",
                    [id, day]
                )
            }
            if let scored, let exitScore {
                try connection.run(
                    """
                    UPDATE inclusion.intervention_pupil SET exit_score = $3
                    WHERE intervention_id = $1 AND pupil_id = $2
                    """,
                    [id, scored, exitScore]
                )
            }
        }
    }

    /// One intervention with its group and delivery summary.
    public func show(intervention id: Int64) throws(StoreError) -> Intervention {
        try StoreError.translating {
            let rows = try connection.run(
                "SELECT \(Self.interventionColumns) FROM \(Self.interventionTables) WHERE i.id = $1",
                [id]
            )
            guard let row = rows.first else { throw Self.interventionNotFound(id) }
            return try Self.decodeIntervention(row)
        }
    }

    /// Interventions the caller can see, optionally of one school and only those not yet ended.
    public func list(school: Int?, activeOnly: Bool) throws(StoreError) -> [Intervention] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT \(Self.interventionColumns) FROM \(Self.interventionTables)
                WHERE ($1::integer IS NULL OR i.school_id = $1) AND (NOT $2 OR i.ended_on IS NULL)
                ORDER BY s.urn, i.starts DESC, i.id DESC
                """,
                [school, activeOnly]
            ).map { row in try Self.decodeIntervention(row) }
        }
    }
}
