import InclusionCore

/// An intervention for one pupil or a group, as `intervention list` prints it (DESIGN §8's intervention shape).
///
/// `cost_per_session` is a whole number of pence (as ``Money`` encodes), shared by the group; `delivered`,
/// `missed` and `last_delivered_on` come from the delivery summary the database keeps from the session log.
public struct Intervention: Codable, Sendable, Equatable {
    /// A pupil in the group, with their exit score once recorded.
    public struct Member: Codable, Sendable, Equatable {
        public let upn: String
        public let exitScore: String?

        enum CodingKeys: String, CodingKey {
            case upn
            case exitScore = "exit_score"
        }
    }

    public let id: Int64
    /// The group's UPNs, in UPN order.
    public let upns: [String]
    public let schoolURN: Int
    public let name: String
    public let area: AreaOfNeed
    public let starts: Day
    public let ends: Day
    public let perWeek: Double
    public let minutes: Int
    public let costPerSession: Money?
    /// The plan the intervention delivers, if any.
    public let plan: Int64?
    public let baseline: String?
    public let target: String?
    /// The login that set it up.
    public let staffLogin: String
    public let endedOn: Day?
    public let delivered: Int
    public let missed: Int
    public let lastDeliveredOn: Day?
    public let pupils: [Member]

    enum CodingKeys: String, CodingKey {
        case id, upns, name, area, starts, ends, minutes, plan, baseline, target, delivered, missed, pupils
        case schoolURN = "school_urn"
        case perWeek = "per_week"
        case costPerSession = "cost_per_session"
        case staffLogin = "staff_login"
        case endedOn = "ended_on"
        case lastDeliveredOn = "last_delivered_on"
    }
}
