import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Job {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List jobs and their last run."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

        func run() throws {
            let jobs = try JobStore(connection: try global.connect()).jobs()
            try global.output.list(jobs) {
                global.output.table(
                    ["JOB", "SCHEDULE", "PAUSED", "LAST RUN", "STATE"],
                    jobs.map {
                        [
                            $0.name, $0.schedule, $0.paused ? "yes" : "no", $0.lastRun?.scheduledFor ?? "",
                            $0.lastRun?.state.rawValue ?? "",
                        ]
                    }
                )
            }
        }
    }
}
