import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Job {
    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause",
            abstract: "Pause a job on every daemon (its scheduled runs stop until resumed; manual runs still go).",
            discussion: """
                Example:
                  inclusionctl job pause review-sweep
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The job's name.") var name: String

        func run() throws {
            try JobStore(connection: try global.connect()).setPaused(name, true)
            if global.json {
                try global.output.document(Paused(job: name, paused: true))
            } else {
                global.output.line("Paused \(name).")
            }
        }
    }
}
