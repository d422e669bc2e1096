import Foundation

/// Which schedule slots an instance inserts on a scheduler tick.
///
/// Between regular ticks (no more than `maxGap` apart) every slot since the last tick is inserted, so a tick that
/// runs late misses nothing. After a longer gap (the instance just started, or the database was unreachable) only
/// the latest due slot is inserted: if every daemon was down over several slots, one catch-up run happens, not
/// one per missed slot. Every instance computes the same slots, and the unique slot key lets exactly one insert
/// win.
public enum SlotPlanner {
    public static let maxGap: TimeInterval = 15

    public static func slots(
        for schedule: Schedule,
        lastTick: Date?,
        now: Date,
        in timeZone: TimeZone,
        maxGap: TimeInterval = maxGap
    ) -> [Date] {
        if let lastTick, now.timeIntervalSince(lastTick) <= maxGap, now >= lastTick {
            return schedule.slots(after: lastTick, through: now, in: timeZone, limit: 100)
        }
        return schedule.latestSlot(atOrBefore: now, in: timeZone).map { [$0] } ?? []
    }
}

/// How long a failed run waits before its next attempt: base × 2^(attempt−1), capped, with jitter between half and
/// all of it so that many runs failing together do not retry together.
public enum Backoff {
    public static func delay(attempt: Int, base: ConfigDuration, cap: ConfigDuration, jitter: Double) -> Double {
        let exponential = base.seconds * pow(2, Double(max(attempt - 1, 0)))
        return min(cap.seconds, exponential) * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }
}
