/// What a sweep does with the alerts already open for one school, given what the rules found today: a pure
/// decision, carried out by the store in one transaction.
public enum AlertReconciliation {
    /// An alert already open (or acknowledged, or snoozed).
    public struct OpenAlert: Sendable, Hashable {
        public let id: Int64
        public let key: Finding.Key
        public let severity: AlertSeverity
        /// The subject's pupil has left.
        public let pupilLeft: Bool

        public init(id: Int64, key: Finding.Key, severity: AlertSeverity, pupilLeft: Bool = false) {
            self.id = id
            self.key = key
            self.severity = severity
            self.pupilLeft = pupilLeft
        }
    }

    /// Why an alert resolved itself.
    public enum ResolvedBecause: String, Sendable, Hashable {
        case conditionCleared = "condition cleared"
        case left
    }

    public enum Action: Sendable, Hashable {
        case raise(Finding)
        /// The rule found the same lapse at a higher severity (phase transfer).
        case escalate(id: Int64, to: AlertSeverity)
        case resolve(id: Int64, because: ResolvedBecause)
    }

    /// Raise what is new, escalate what rose, resolve what the rules no longer find; leave the rest alone.
    public static func decide(findings: [Finding], open: [OpenAlert]) -> [Action] {
        let found = Dictionary(
            findings.map { ($0.key, $0) },
            uniquingKeysWith: { first, second in
                first.severity >= second.severity ? first : second
            }
        )
        var actions: [Action] = []
        var openKeys = Set<Finding.Key>()
        for alert in open.sorted(by: { $0.id < $1.id }) {
            openKeys.insert(alert.key)
            if let finding = found[alert.key] {
                if finding.severity > alert.severity {
                    actions.append(.escalate(id: alert.id, to: finding.severity))
                }
            } else {
                actions.append(.resolve(id: alert.id, because: alert.pupilLeft ? .left : .conditionCleared))
            }
        }
        for finding in findings where !openKeys.contains(finding.key) {
            if case .raise(let raised)? = actions.last, raised.key == finding.key { continue }
            actions.append(.raise(found[finding.key] ?? finding))
        }
        return deduplicated(actions)
    }

    private static func deduplicated(_ actions: [Action]) -> [Action] {
        var seen = Set<Action>()
        return actions.filter { seen.insert($0).inserted }
    }
}
