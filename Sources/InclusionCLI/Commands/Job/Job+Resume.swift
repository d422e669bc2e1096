import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Job {
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Resume a paused job.",
            discussion: """
                Example:
                  inclusionctl job resume review-sweep
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The job's name.") var name: String

        func run() throws {
            try JobStore(connection: try global.connect()).setPaused(name, false)
            if global.json {
                try global.output.document(Paused(job: name, paused: false))
            } else {
                global.output.line("Resumed \(name).")
            }
        }
    }
}
