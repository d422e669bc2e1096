/// What an alert is about: ids only, never pupil data (they go into logs, NOTIFY payloads and webhook bodies).
public enum AlertSubject: Hashable, Sendable, CustomStringConvertible {
    case plan(Int64)
    case intervention(Int64)
    case pupil(Int64)
    case pupilCase(Int64)
    case school(Int)

    /// The `subject_type` of DESIGN §8's alert JSON.
    public var type: String {
        switch self {
        case .plan: "plan"
        case .intervention: "intervention"
        case .pupil: "pupil"
        case .pupilCase: "case"
        case .school: "school"
        }
    }

    /// The `subject_id` of DESIGN §8's alert JSON.
    public var id: Int64 {
        switch self {
        case .plan(let id), .intervention(let id), .pupil(let id), .pupilCase(let id): id
        case .school(let id): Int64(id)
        }
    }

    public var description: String { "\(type) \(id)" }
}
