import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Job: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "job",
            abstract: "List, run, pause and resume the daemons' scheduled jobs (running and pausing is for admins).",
            subcommands: [List.self, Runs.self, Run.self, Pause.self, Resume.self]
        )
    }
}
