public import InclusionCore
public import Postgres

/// An alert as `alert list` and `alert show` print it (DESIGN §8's alert shape): ids, the rule, dates and states,
/// never needs or notes.
public struct AlertRecord: Codable, Sendable, Equatable {
    public let id: Int64
    public let rule: String
    public let upn: String?
    public let schoolURN: Int
    public let subjectType: String
    public let subjectID: Int64
    public let dueOn: Day
    public let severity: String
    public let state: String
    public let snoozedUntil: Day?
    public let raisedAt: String
    /// Who did what to it, oldest first; only `alert show` fills it in.
    public let history: [AlertTransition]?

    enum CodingKeys: String, CodingKey {
        case id, rule, upn, severity, state, history
        case schoolURN = "school_urn"
        case subjectType = "subject_type"
        case subjectID = "subject_id"
        case dueOn = "due_on"
        case snoozedUntil = "snoozed_until"
        case raisedAt = "raised_at"
    }
}

/// One change of an alert: who, when, why.
public struct AlertTransition: Codable, Sendable, Equatable {
    public let at: String
    public let actor: String
    public let action: String
    public let severity: String
    public let reason: String?
}

/// Open alerts by severity (`status`).
public struct OpenAlertCounts: Codable, Sendable, Equatable {
    public let info: Int
    public let warning: Int
    public let critical: Int
}

/// Alerts as people see and act on them. Reads run under the caller's row-level security; acknowledging, snoozing
/// and resolving go through `inclusion.alert_act`, which records the caller in the alert's history.
public struct AlertStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What people may do to an alert.
    public enum Action: String, Sendable {
        case acknowledge = "acknowledged"
        case snooze = "snoozed"
        case resolve = "resolved"
    }

    static let columns: SQL = """
        a.id, a.rule, p.upn, s.urn, a.subject_type, a.subject_id, a.due_on, a.severity, a.state, a.snoozed_until,
        to_char(a.raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS raised_at
        """
    static let tables: SQL = """
        inclusion.alert a
        JOIN inclusion.school s ON s.id = a.school_id
        LEFT JOIN inclusion.pupil p ON p.school_id = a.school_id AND p.id = a.pupil_id
        """

    static func decode(_ row: Row, history: [AlertTransition]? = nil) throws -> AlertRecord {
        AlertRecord(
            id: try row.decode(Int64.self, "id"),
            rule: try row.decode(String.self, "rule"),
            upn: try row.decode(String?.self, "upn"),
            schoolURN: try row.decode(Int.self, "urn"),
            subjectType: try row.decode(String.self, "subject_type"),
            subjectID: try row.decode(Int64.self, "subject_id"),
            dueOn: try row.decode(Day.self, "due_on"),
            severity: try row.decode(String.self, "severity"),
            state: try row.decode(String.self, "state"),
            snoozedUntil: try row.decode(Day?.self, "snoozed_until"),
            raisedAt: try row.decode(String.self, "raised_at"),
            history: history
        )
    }

    /// The alerts the caller may see, most urgent and oldest first; every filter optional. Without a state, the
    /// alerts not resolved.
    public func list(state: String?, rule: String?, school: Int?, upn: String?) throws(StoreError) -> [AlertRecord] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT \(Self.columns) FROM \(Self.tables)
                WHERE ($1::text IS NULL AND a.state <> 'resolved' OR a.state = $1)
                  AND ($2::text IS NULL OR a.rule = $2)
                  AND ($3::integer IS NULL OR a.school_id = $3)
                  AND ($4::text IS NULL OR p.upn = $4)
                ORDER BY CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.due_on, a.id
                """,
                [state, rule, school, upn]
            ).map { try Self.decode($0) }
        }
    }

    /// One alert with its history.
    public func show(_ id: Int64) throws(StoreError) -> AlertRecord {
        try StoreError.translating {
            guard let row = try connection.run("SELECT \(Self.columns) FROM \(Self.tables) WHERE a.id = $1", [id]).first
            else {
                throw StoreError.notFound(
                    "alert",
                    "no alert \(id) is visible to your login; see `inclusionctl alert list`"
                )
            }
            let history = try connection.run(
                """
                SELECT to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, t.actor::text AS actor,
                       t.action, t.severity, t.reason
                FROM inclusion.alert_transition t WHERE t.alert_id = $1 ORDER BY t.id
                """,
                [id]
            ).map { row in
                AlertTransition(
                    at: try row.decode(String.self, "at"),
                    actor: try row.decode(String.self, "actor"),
                    action: try row.decode(String.self, "action"),
                    severity: try row.decode(String.self, "severity"),
                    reason: try row.decode(String?.self, "reason")
                )
            }
            return try Self.decode(row, history: history)
        }
    }

    /// Acknowledges, snoozes (until a day) or resolves (with a reason) an alert.
    public func act(_ id: Int64, _ action: Action, until: Day? = nil, reason: String? = nil) throws(StoreError) {
        try connection.run(
            "SELECT inclusion.alert_act($1, $2, $3::date, $4)",
            [id, action, until, reason]
        )
    }

    /// Open (not resolved) alerts by severity, over the schools the caller may see.
    public func openCounts() throws(StoreError) -> OpenAlertCounts {
        try StoreError.translating {
            let row = try connection.run("SELECT info, warning, critical FROM inclusion.open_alert_counts()")[0]
            return OpenAlertCounts(
                info: try row.decode(Int.self, "info"),
                warning: try row.decode(Int.self, "warning"),
                critical: try row.decode(Int.self, "critical")
            )
        }
    }
}
