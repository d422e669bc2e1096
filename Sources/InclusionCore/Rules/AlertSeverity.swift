/// How urgent an alert is. Escalation moves one step up, capped at ``critical`` (DESIGN §4).
public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case info
    case warning
    case critical

    /// One step up, capped at critical.
    public var escalated: AlertSeverity {
        switch self {
        case .info: .warning
        case .warning, .critical: .critical
        }
    }

    public var description: String { rawValue }

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }
}
