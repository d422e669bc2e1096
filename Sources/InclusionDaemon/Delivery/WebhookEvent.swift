import Foundation

/// One alert event for webhooks: ids and codes only, never pupil data; the receiver asks inclusiond for more.
public struct WebhookEvent: Sendable, Equatable {
    /// The delivery's stable id, the same on every retry: sent as `webhook-id` so receivers can drop duplicates.
    public let id: String
    /// `alert.raised`, `alert.escalated` or `alert.resolved`.
    public let type: String
    public let alertID: Int64
    public let rule: String
    public let schoolURN: Int
    /// The day the alert is due, `YYYY-MM-DD`.
    public let dueOn: String
    public let severity: String
    public let occurredAt: Date

    public init(
        id: String,
        type: String,
        alertID: Int64,
        rule: String,
        schoolURN: Int,
        dueOn: String,
        severity: String,
        occurredAt: Date
    ) {
        self.id = id
        self.type = type
        self.alertID = alertID
        self.rule = rule
        self.schoolURN = schoolURN
        self.dueOn = dueOn
        self.severity = severity
        self.occurredAt = occurredAt
    }

    /// The request body in the Standard Webhooks payload shape, `{"data":{…},"timestamp":"…","type":"…"}`, with
    /// sorted keys so the same event always gives the same bytes (and so the same signature).
    public func body() -> [UInt8] {
        let payload = Payload(
            type: type,
            timestamp: occurredAt.formatted(.iso8601),
            data: .init(alertID: alertID, rule: rule, schoolURN: schoolURN, dueOn: dueOn, severity: severity)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and nested structs only: encoding cannot fail.
        return Array(try! encoder.encode(payload))
    }

    private struct Payload: Encodable {
        let type: String
        let timestamp: String
        let data: Fields
    }

    private struct Fields: Encodable {
        let alertID: Int64
        let rule: String
        let schoolURN: Int
        let dueOn: String
        let severity: String

        enum CodingKeys: String, CodingKey {
            case alertID = "alert_id"
            case rule
            case schoolURN = "school_urn"
            case dueOn = "due_on"
            case severity
        }
    }
}
