public import InclusionCore
public import Postgres

/// A delivery as `alert deliveries` prints it: ids, the channel, states and times, never pupil data.
public struct DeliveryRecord: Codable, Sendable, Equatable {
    /// The stable id every attempt carries (webhook-id, Message-ID).
    public let id: String
    public let alertID: Int64
    public let schoolURN: Int
    /// `email` or `webhook:NAME`.
    public let channel: String
    /// alert.raised, alert.escalated or alert.resolved.
    public let event: String
    /// pending, delivered or dead.
    public let state: String
    public let attempts: Int
    /// When a pending delivery is next tried (RFC 3339), nil once finished.
    public let nextAttemptAt: String?
    public let lastError: String?
    public let createdAt: String
    public let finishedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, channel, event, state, attempts
        case alertID = "alert_id"
        case schoolURN = "school_urn"
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }
}

/// A delivery the service has claimed, with what its channel needs to send it: ids, the rule, the school, the
/// due day; for email also the school's name and the pupil's label (given name, family initial).
public struct ClaimedDelivery: Sendable, Equatable {
    public let id: String
    public let channel: String
    public let event: String
    /// Attempts so far, this one included.
    public let attempts: Int
    public let alertID: Int64
    public let rule: String
    /// The severity at the transition.
    public let severity: String
    public let schoolID: Int
    public let schoolURN: Int
    public let schoolName: String
    public let dueOn: Day
    /// When the transition happened, in seconds since the Unix epoch.
    public let occurredAt: Double
    public let pupil: String?
}

/// One SENCO's digest: who, where to, and the open alerts of their schools.
public struct DigestRecipient: Sendable, Equatable {
    public let staffID: Int
    public let name: String
    public let email: String
    public let items: [AlertEmail.Item]
}

/// The alert outbox (migration 0012): the delivery service's claims and outcomes, the channels the configuration
/// names, the digest's recipients; and what people see and do (`alert deliveries`, `alert redeliver`, `alert
/// webhook enable`). The service's statements run as the daemon login; the rest under the caller's row security.
public struct DeliveryStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    static let rfc3339: SQL = #"'YYYY-MM-DD"T"HH24:MI:SS"Z"'"#

    // MARK: The service

    /// Records the channels the configuration names (`email`, `webhook:NAME`): new ones are added, known ones
    /// marked configured, and the others marked not configured (they keep their rows and get no new deliveries).
    /// A webhook disabled by a 410 stays disabled.
    public func recordChannels(_ names: [String]) throws(StoreError) {
        try connection.storeTransaction { connection in
            try connection.run(
                """
                INSERT INTO inclusion.delivery_channel (name) SELECT unnest($1::text[])
                ON CONFLICT (name) DO UPDATE SET configured = true, updated_at = now()
                WHERE NOT inclusion.delivery_channel.configured
                """,
                [PostgresArray(names)]
            )
            try connection.run(
                """
                UPDATE inclusion.delivery_channel SET configured = false, updated_at = now()
                WHERE configured AND NOT (name = ANY ($1::text[]))
                """,
                [PostgresArray(names)]
            )
        }
    }

    /// Claims up to `limit` due deliveries of `channels` (pending, due, not claimed by a live sender, channel
    /// enabled) for `lease`, counting the attempt. Rows another sender is claiming are skipped, never waited for.
    public func claim(channels: [String], limit: Int, lease: Duration, instance: Int64) throws(StoreError)
        -> [ClaimedDelivery]
    {
        try StoreError.translating {
            guard !channels.isEmpty else { return [] }
            return try connection.run(
                """
                WITH due AS (
                    SELECT d.id FROM inclusion.alert_delivery d
                    JOIN inclusion.delivery_channel c ON c.name = d.channel AND c.configured AND c.disabled_at IS NULL
                    WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                      AND (d.claimed_until IS NULL OR d.claimed_until <= now())
                      AND d.channel = ANY ($1::text[])
                    ORDER BY d.next_attempt_at
                    LIMIT $2
                    FOR UPDATE OF d SKIP LOCKED
                )
                UPDATE inclusion.alert_delivery d
                SET claimed_until = now() + $3::bigint * interval '1 millisecond', claimed_by = $4,
                    attempts = d.attempts + 1
                FROM due, inclusion.alert a, inclusion.alert_transition t, inclusion.school s
                WHERE d.id = due.id AND a.school_id = d.school_id AND a.id = d.alert_id AND t.id = d.transition_id
                  AND s.id = d.school_id
                RETURNING d.id::text AS id, d.channel, d.event, d.attempts, a.id AS alert_id, a.rule, t.severity,
                          s.id AS school_id, s.urn, s.name AS school_name, a.due_on,
                          extract(epoch FROM t.at)::float8 AS occurred_at,
                          (SELECT p.given_name FROM inclusion.pupil p
                           WHERE p.school_id = a.school_id AND p.id = a.pupil_id) AS given_name,
                          (SELECT p.family_name FROM inclusion.pupil p
                           WHERE p.school_id = a.school_id AND p.id = a.pupil_id) AS family_name
                """,
                [PostgresArray(channels), limit, Self.milliseconds(lease), instance]
            ).map { row in
                let given = try row.decode(String?.self, "given_name")
                let family = try row.decode(String?.self, "family_name")
                return ClaimedDelivery(
                    id: try row.decode(String.self, "id"),
                    channel: try row.decode(String.self, "channel"),
                    event: try row.decode(String.self, "event"),
                    attempts: try row.decode(Int.self, "attempts"),
                    alertID: try row.decode(Int64.self, "alert_id"),
                    rule: try row.decode(String.self, "rule"),
                    severity: try row.decode(String.self, "severity"),
                    schoolID: try row.decode(Int.self, "school_id"),
                    schoolURN: try row.decode(Int.self, "urn"),
                    schoolName: try row.decode(String.self, "school_name"),
                    dueOn: try row.decode(Day.self, "due_on"),
                    occurredAt: try row.decode(Double.self, "occurred_at"),
                    pupil: given.map { AlertEmail.pupilLabel(given: $0, family: family ?? "") }
                )
            }
        }
    }

    /// The delivery reached its receiver.
    public func delivered(_ id: String) throws(StoreError) {
        try StoreError.translating {
            try finish(id, state: "delivered", reason: nil)
        }
    }

    /// The delivery failed for good (the schedule is used up, or the channel cannot ever take it).
    public func dead(_ id: String, reason: String) throws(StoreError) {
        try StoreError.translating {
            try finish(id, state: "dead", reason: reason)
        }
    }

    private func finish(_ id: String, state: String, reason: String?) throws {
        try connection.run(
            """
            UPDATE inclusion.alert_delivery SET state = $2, finished_at = now(), claimed_until = NULL,
                claimed_by = NULL, last_error = coalesce(left($3, 200), last_error)
            WHERE id = $1::uuid AND state = 'pending'
            """,
            [id, state, reason]
        )
    }

    /// The attempt failed; the delivery is tried again after `after`.
    public func retry(_ id: String, after: Duration, reason: String) throws(StoreError) {
        try connection.run(
            """
            UPDATE inclusion.alert_delivery SET next_attempt_at = now() + $2::bigint * interval '1 millisecond',
                claimed_until = NULL, claimed_by = NULL, last_error = left($3, 200)
            WHERE id = $1::uuid AND state = 'pending'
            """,
            [id, Self.milliseconds(after), reason]
        )
    }

    /// A webhook endpoint answered 410 Gone: it gets nothing more until an admin enables it again; this delivery
    /// waits (pending) and goes out, under the same id, once it is.
    public func disable(channel: String, deliveryID: String, reason: String) throws(StoreError) {
        try connection.storeTransaction { connection in
            try connection.run(
                """
                UPDATE inclusion.delivery_channel SET disabled_at = now(), disabled_reason = left($2, 200),
                    updated_at = now()
                WHERE name = $1 AND disabled_at IS NULL
                """,
                [channel, reason]
            )
            try connection.run(
                """
                UPDATE inclusion.alert_delivery SET claimed_until = NULL, claimed_by = NULL, last_error = left($2, 200)
                WHERE id = $1::uuid AND state = 'pending'
                """,
                [deliveryID, reason]
            )
        }
    }

    /// How long until the next pending delivery of `channels` falls due (zero when one is due now), or nil when
    /// none is pending.
    public func nextDue(channels: [String]) throws(StoreError) -> Duration? {
        try StoreError.translating {
            guard !channels.isEmpty else { return nil }
            let row = try connection.run(
                """
                SELECT (extract(epoch FROM min(greatest(d.next_attempt_at, coalesce(d.claimed_until, d.next_attempt_at)))
                        - now()) * 1000)::bigint AS wait_ms
                FROM inclusion.alert_delivery d
                JOIN inclusion.delivery_channel c ON c.name = d.channel AND c.configured AND c.disabled_at IS NULL
                WHERE d.state = 'pending' AND d.channel = ANY ($1::text[])
                """,
                [PostgresArray(channels)]
            )[0]
            return try row.decode(Int64?.self, "wait_ms").map { .milliseconds(max(0, $0)) }
        }
    }

    /// The addresses an immediate alert email goes to: the school's SENCOs with an email address, and for an
    /// escalation the trust's admins too. Disabled logins are left out.
    public func emailRecipients(school: Int, includeAdmins: Bool) throws(StoreError) -> [String] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT DISTINCT st.email FROM inclusion.staff st
                WHERE st.email IS NOT NULL AND st.disabled_at IS NULL
                  AND ((st.role = 'senco' AND EXISTS (SELECT 1 FROM inclusion.staff_school ss
                                                      WHERE ss.staff_id = st.id AND ss.school_id = $1))
                       OR ($2 AND st.role = 'admin'))
                ORDER BY st.email
                """,
                [school, includeAdmins]
            ).map { try $0.decode(String.self, "email") }
        }
    }

    /// Every SENCO with an email address and the open (not snoozed, not resolved) alerts of their schools, in one
    /// statement, for the daily digest.
    public func digests() throws(StoreError) -> [DigestRecipient] {
        try StoreError.translating {
            var recipients: [DigestRecipient] = []
            var current: (id: Int, name: String, email: String, items: [AlertEmail.Item])?
            for row in try connection.run(
                """
                SELECT st.id AS staff_id, st.display_name, st.email, a.id AS alert_id, a.rule, a.severity,
                       s.name AS school_name, p.given_name, p.family_name, a.due_on
                FROM inclusion.staff st
                JOIN inclusion.staff_school ss ON ss.staff_id = st.id
                JOIN inclusion.alert a ON a.school_id = ss.school_id AND a.state IN ('open', 'acknowledged')
                JOIN inclusion.school s ON s.id = a.school_id
                LEFT JOIN inclusion.pupil p ON p.school_id = a.school_id AND p.id = a.pupil_id
                WHERE st.role = 'senco' AND st.email IS NOT NULL AND st.disabled_at IS NULL
                ORDER BY st.id, a.due_on, a.id
                """
            ) {
                let staff = try row.decode(Int.self, "staff_id")
                // An alert of a rule or severity this build does not know (written by a newer one) is left out.
                guard let rule = try? row.decode(AlertRuleName.self, "rule"),
                    let severity = try? row.decode(AlertSeverity.self, "severity")
                else { continue }
                let given = try row.decode(String?.self, "given_name")
                let family = try row.decode(String?.self, "family_name")
                let item = AlertEmail.Item(
                    alertID: try row.decode(Int64.self, "alert_id"),
                    rule: rule,
                    severity: severity,
                    schoolName: try row.decode(String.self, "school_name"),
                    pupil: given.map { AlertEmail.pupilLabel(given: $0, family: family ?? "") },
                    dueOn: try row.decode(Day.self, "due_on")
                )
                if current?.id != staff {
                    if let done = current {
                        recipients.append(
                            DigestRecipient(staffID: done.id, name: done.name, email: done.email, items: done.items)
                        )
                    }
                    current = (
                        staff, try row.decode(String.self, "display_name"), try row.decode(String.self, "email"), []
                    )
                }
                current?.items.append(item)
            }
            if let done = current {
                recipients.append(
                    DigestRecipient(staffID: done.id, name: done.name, email: done.email, items: done.items)
                )
            }
            return recipients
        }
    }

    // MARK: People

    /// The deliveries the caller may see (admins: all; SENCOs: their schools'), newest first: by default those
    /// pending or dead; with `dead`, only the dead ones; with `all`, every one.
    public func list(dead: Bool, all: Bool = false, limit: Int = 500) throws(StoreError) -> [DeliveryRecord] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT d.id::text AS id, d.alert_id, s.urn, d.channel, d.event, d.state, d.attempts,
                       CASE WHEN d.state = 'pending'
                            THEN to_char(greatest(d.next_attempt_at, coalesce(d.claimed_until, d.next_attempt_at))
                                         AT TIME ZONE 'UTC', \(Self.rfc3339)) END AS next_attempt_at,
                       d.last_error,
                       to_char(d.created_at AT TIME ZONE 'UTC', \(Self.rfc3339)) AS created_at,
                       to_char(d.finished_at AT TIME ZONE 'UTC', \(Self.rfc3339)) AS finished_at
                FROM inclusion.alert_delivery d JOIN inclusion.school s ON s.id = d.school_id
                WHERE CASE WHEN $1 THEN d.state = 'dead' WHEN $2 THEN true ELSE d.state <> 'delivered' END
                ORDER BY d.created_at DESC, d.id
                LIMIT $3
                """,
                [dead, all, limit]
            ).map { row in
                DeliveryRecord(
                    id: try row.decode(String.self, "id"),
                    alertID: try row.decode(Int64.self, "alert_id"),
                    schoolURN: try row.decode(Int.self, "urn"),
                    channel: try row.decode(String.self, "channel"),
                    event: try row.decode(String.self, "event"),
                    state: try row.decode(String.self, "state"),
                    attempts: try row.decode(Int.self, "attempts"),
                    nextAttemptAt: try row.decode(String?.self, "next_attempt_at"),
                    lastError: try row.decode(String?.self, "last_error"),
                    createdAt: try row.decode(String.self, "created_at"),
                    finishedAt: try row.decode(String?.self, "finished_at")
                )
            }
        }
    }

    /// Sends a delivery again, at once, under the same id.
    public func redeliver(_ id: String) throws(StoreError) {
        try connection.run("SELECT inclusion.alert_redeliver($1::uuid)", [id])
    }

    /// Enables a webhook endpoint again; true when it had been disabled.
    @discardableResult
    public func enableWebhook(_ name: String) throws(StoreError) -> Bool {
        try StoreError.translating {
            try connection.run("SELECT inclusion.webhook_enable($1) AS enabled", [name])[0].decode(Bool.self, "enabled")
        }
    }

    /// The channels and their states.
    public func channels() throws(StoreError) -> [(name: String, configured: Bool, disabledReason: String?)] {
        try StoreError.translating {
            try connection.run(
                "SELECT name, configured, disabled_reason FROM inclusion.delivery_channel ORDER BY name"
            ).map { row in
                (
                    try row.decode(String.self, "name"), try row.decode(Bool.self, "configured"),
                    try row.decode(String?.self, "disabled_reason")
                )
            }
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
