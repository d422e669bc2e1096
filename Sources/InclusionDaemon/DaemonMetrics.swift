public import Prometheus

/// The daemon's Prometheus metrics, served on `/metrics`.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let reconnects: Counter
    let leaseRescues: Counter
    let slotsClaimed: Counter
    let lockTimeouts: Counter
    let controlNotifications: Counter

    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "inclusiond", metricName: metric, unitName: unit, helpText: help)
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        reconnects = registry.makeCounter(
            descriptor: Self.name(
                "database_reconnects",
                unit: "total",
                help: "Connections to PostgreSQL re-established after a failure."
            )
        )
        leaseRescues = registry.makeCounter(
            descriptor: Self.name(
                "lease_rescues",
                unit: "total",
                help: "Runs whose lease expired (their instance died or stalled), put back in the queue."
            )
        )
        slotsClaimed = registry.makeCounter(
            descriptor: Self.name(
                "slots_claimed",
                unit: "total",
                help: "Schedule slots this instance inserted first (each slot is claimed once across instances)."
            )
        )
        lockTimeouts = registry.makeCounter(
            descriptor: Self.name(
                "database_lock_timeouts",
                unit: "total",
                help: "Statements that gave up waiting for a lock another session held (database.lock-timeout)."
            )
        )
        controlNotifications = registry.makeCounter(
            descriptor: Self.name(
                "control_notifications",
                unit: "total",
                help: "NOTIFYs received on inclusion_control, from any login: wake-ups only, never instructions."
            )
        )
        // Shown as 0 from the start, so a dashboard (or a test) can tell "none" from "not yet reported".
        for kind in NotifyCoalescer.Kind.allCases { _ = controlWakeupCounter(kind: kind.rawValue) }
        for trigger in ["signal", "request"] {
            for outcome in ["ok", "refused"] { _ = reloadCounter(trigger: trigger, outcome: outcome) }
        }
    }

    /// Counts a wake-up passed on to a service after coalescing NOTIFYs (kind: run, reload, job).
    func recordControlWakeup(kind: String) { controlWakeupCounter(kind: kind).increment() }

    private func controlWakeupCounter(kind: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "control_wakeups",
                unit: "total",
                help: "Wake-ups passed on to a service after coalescing NOTIFYs: each makes it re-read its table."
            ),
            labels: [("kind", kind)]
        )
    }

    /// Counts a configuration reload by what triggered it (signal: SIGHUP; request: a recorded reload request) and
    /// its outcome (ok, refused).
    func recordReload(trigger: String, outcome: String) {
        reloadCounter(trigger: trigger, outcome: outcome).increment()
    }

    private func reloadCounter(trigger: String, outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "configuration_reloads",
                unit: "total",
                help: "Configuration reloads, by trigger (signal, request) and outcome (ok, refused)."
            ),
            labels: [("trigger", trigger), ("outcome", outcome)]
        )
    }

    /// Counts a finished run by job and outcome (succeeded, failed, dead, released, lost) and records its duration.
    func recordRun(job: String, outcome: String, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.name("job_runs", unit: "total", help: "Job runs finished by this instance, by outcome."),
            labels: [("job", job), ("outcome", outcome)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("job_run_duration", unit: "seconds", help: "How long job runs took."),
            labels: [("job", job)],
            buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60), .seconds(600)]
        ).record(duration)
    }

    /// Counts one delivery attempt by channel (webhook, email) and outcome (delivered, retry, dead, gone).
    func recordDelivery(channel: String, outcome: String) {
        deliveryCounter(channel: channel, outcome: outcome).increment()
    }

    private func deliveryCounter(channel: String, outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "alert_deliveries",
                unit: "total",
                help: "Alert delivery attempts by this instance, by channel (webhook, email) and outcome."
            ),
            labels: [("channel", channel), ("outcome", outcome)]
        )
    }

    /// Counts alert events of a sweep by rule and action (raised, escalated, resolved, woke).
    func recordAlert(rule: String, action: String) {
        registry.makeCounter(
            descriptor: Self.name(
                "alerts",
                unit: "total",
                help: "Alerts raised, escalated, resolved and woken, by rule."
            ),
            labels: [("rule", rule), ("action", action)]
        ).increment()
    }

    /// Records how long one school's sweep took.
    func recordSchoolSweep(school: Int, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("school_sweep_duration", unit: "seconds", help: "How long each school's sweep took."),
            labels: [("school_id", "\(school)")],
            buckets: [.milliseconds(10), .milliseconds(100), .seconds(1), .seconds(10), .seconds(60)]
        ).record(duration)
    }

    public func render() -> String { registry.emitToString() }
}
