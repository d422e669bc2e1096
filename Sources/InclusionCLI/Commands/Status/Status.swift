import ArgumentParser
import Foundation
import InclusionStore
import Postgres

extension Inclusionctl {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract:
                "Show the daemons (live or not), the last run of each job and open alerts. Exit 3 when no daemon is live."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

        struct Report: Encodable {
            struct Instance: Encodable {
                let name: String
                let pid: Int
                let version: String
                let startedAt: String
                let heartbeatAt: String
                let live: Bool

                enum CodingKeys: String, CodingKey {
                    case name, pid, version, live
                    case startedAt = "started_at"
                    case heartbeatAt = "heartbeat_at"
                }
            }

            struct Job: Encodable {
                let name: String
                let paused: Bool
                let lastRun: JobRunRecord?

                enum CodingKeys: String, CodingKey {
                    case name, paused
                    case lastRun = "last_run"
                }
            }

            let version = 1
            let instances: [Instance]
            let jobs: [Job]
            let openAlerts: [String: Int]

            enum CodingKeys: String, CodingKey {
                case version, instances, jobs
                case openAlerts = "open_alerts"
            }
        }

        func run() throws {
            let connection = try global.connect()
            let store = JobStore(connection: connection)
            let instances = try store.instances()
            let jobs = try store.jobs()
            let alerts = try AlertStore(connection: connection).openCounts()
            let report = Report(
                instances: instances.map {
                    .init(
                        name: $0.name,
                        pid: $0.pid,
                        version: $0.version,
                        startedAt: $0.startedAt,
                        heartbeatAt: $0.heartbeatAt,
                        live: $0.live
                    )
                },
                jobs: jobs.map { .init(name: $0.name, paused: $0.paused, lastRun: $0.lastRun) },
                openAlerts: ["info": alerts.info, "warning": alerts.warning, "critical": alerts.critical]
            )
            let live = instances.filter(\.live).count
            if global.json {
                try global.output.document(report)
            } else {
                let output = global.output
                output.line(
                    live == 0
                        ? "No inclusiond instance is live."
                        : "\(live) inclusiond instance\(live == 1 ? " is" : "s are") live."
                )
                output.table(
                    ["INSTANCE", "PID", "VERSION", "STARTED", "HEARTBEAT", "LIVE"],
                    instances.map {
                        [$0.name, String($0.pid), $0.version, $0.startedAt, $0.heartbeatAt, $0.live ? "yes" : "no"]
                    }
                )
                output.line("")
                output.table(
                    ["JOB", "SCHEDULE", "PAUSED", "LAST RUN", "STATE"],
                    jobs.map {
                        [
                            $0.name, $0.schedule, $0.paused ? "yes" : "no", $0.lastRun?.scheduledFor ?? "",
                            $0.lastRun?.state.rawValue ?? "",
                        ]
                    }
                )
            }
            if live == 0 {
                if !global.json {
                    Output.warn(
                        "start it with `systemctl start inclusiond` (or `make run`); `journalctl -u inclusiond` shows why it stopped"
                    )
                }
                throw ExitCode(ExitStatus.noLiveDaemon.rawValue)
            }
        }
    }
}
