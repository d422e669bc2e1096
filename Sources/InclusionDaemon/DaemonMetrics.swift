public import Prometheus

/// The daemon's Prometheus metrics, served on `/metrics`.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let reconnects: Counter
    let leaseRescues: Counter
    let slotsClaimed: Counter

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

    public func render() -> String { registry.emitToString() }
}
