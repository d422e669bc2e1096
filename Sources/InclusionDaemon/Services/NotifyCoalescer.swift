/// Turns NOTIFYs on `inclusion_control` into wake-ups, at most one per kind per `interval`.
///
/// Any login may NOTIFY any channel, so a notification is never an instruction: it only makes a service re-read
/// its table (runs to claim, reload requests recorded by an admin, paused jobs), and a flood of them must not
/// become a flood of work. The first notification of a kind after a quiet `interval` wakes its service at once;
/// later ones within the interval are folded into one wake-up at the end of it, so a genuine request arriving
/// during a flood is still seen within `interval`.
public struct NotifyCoalescer: Sendable {
    /// What a notification may wake: the job runner (`run:ID`), the reloader (`reload:ID`), the scheduler
    /// (`job:NAME`), the delivery service (`delivery:`). The part after the colon is ignored: what to do is always
    /// read from the tables.
    public enum Kind: String, CaseIterable, Sendable {
        case run, reload, job, delivery
    }

    public let interval: Duration
    private var lastWake: [Kind: ContinuousClock.Instant] = [:]
    private var deferred: Set<Kind> = []

    public init(interval: Duration) { self.interval = interval }

    /// The kind a payload names, or nil for a payload the daemon does not know (ignored).
    public static func kind(of payload: String) -> Kind? {
        guard let prefix = payload.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first
        else { return nil }
        return Kind(rawValue: String(prefix))
    }

    /// A notification of `kind` arrived at `now`. Returns true when its service is to be woken now; otherwise the
    /// wake-up is deferred to the end of the current interval (see ``due(at:)``).
    public mutating func receive(_ kind: Kind, at now: ContinuousClock.Instant) -> Bool {
        if let last = lastWake[kind], now - last < interval {
            deferred.insert(kind)
            return false
        }
        lastWake[kind] = now
        deferred.remove(kind)
        return true
    }

    /// The deferred wake-ups whose interval has ended by `now`, in a stable order; each is then no longer deferred.
    public mutating func due(at now: ContinuousClock.Instant) -> [Kind] {
        var woken: [Kind] = []
        for kind in Kind.allCases where deferred.contains(kind) {
            if let last = lastWake[kind], now - last < interval { continue }
            deferred.remove(kind)
            lastWake[kind] = now
            woken.append(kind)
        }
        return woken
    }

    /// How long after `now` the next deferred wake-up falls due (zero when one is already due), or nil when none
    /// is deferred.
    public func nextDue(after now: ContinuousClock.Instant) -> Duration? {
        deferred.compactMap { kind in lastWake[kind].map { max(.zero, $0 + interval - now) } }.min()
    }
}
