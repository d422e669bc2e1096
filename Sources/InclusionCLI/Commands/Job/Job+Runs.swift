import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Job {
    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runs",
            abstract: "Show a job's recent runs."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The job's name.") var name: String
        @Option(help: "How many runs, newest first.") var limit = 20

        func run() throws {
            let runs = try JobStore(connection: try global.connect()).runs(job: name, limit: max(1, min(limit, 1000)))
            try global.output.list(runs) {
                global.output.table(
                    ["RUN", "SCHEDULED FOR", "INSTANCE", "STATE", "ATTEMPT", "STARTED", "FINISHED", "ERROR"],
                    runs.map {
                        [
                            String($0.id) + ($0.manual ? " (manual)" : ""), $0.scheduledFor, $0.instance ?? "",
                            $0.state.rawValue,
                            String($0.attempt), $0.startedAt ?? "", $0.finishedAt ?? "", $0.lastError ?? "",
                        ]
                    }
                )
            }
        }
    }
}
