import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Job {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a job now on any live daemon (a run of its own, retried like any other).",
            discussion: """
                With --wait: exit 0 when the run succeeds, 1 when it fails for good, 3 when no daemon is live.

                Example:
                  inclusionctl job run review-sweep --wait
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The job's name.") var name: String
        @Flag(help: "Wait for the run to finish.") var wait = false
        @Option(help: "Evaluate as of this day (YYYY-MM-DD), e.g. \"what will be due on Monday\".") var asOf: String?
        @Option(help: "With --wait: give up after this many seconds.") var timeout = 300

        func run() throws {
            let asOf = try self.asOf.map { text throws(ValidationError) in
                try Day.parse(text, field: "as-of").description
            }
            let store = JobStore(connection: try global.connect())
            if wait, try store.liveInstanceCount() == 0 {
                throw CLIFailure(exit: .noLiveDaemon, message: "no inclusiond instance is live to run the job")
            }
            let id = try store.requestRun(job: name, asOf: asOf)
            guard wait else {
                try global.output.created(id: id, "Requested run \(id) of \(name).")
                return
            }
            let deadline = Date().addingTimeInterval(Double(timeout))
            var run = try store.run(id: id)
            while let current = run, !current.state.isFinal, Date() < deadline {
                if current.state == .pending, try store.liveInstanceCount() == 0 {
                    throw CLIFailure(
                        exit: .noLiveDaemon,
                        message: "no inclusiond instance is live; run \(id) is still pending"
                    )
                }
                try sleepBriefly()
                run = try store.run(id: id)
            }
            guard let run else { throw CLIFailure(exit: .notFound, field: "run", message: "run \(id) disappeared") }
            if global.json {
                try global.output.document(Versioned(run))
            } else {
                global.output.line("Run \(id) of \(name): \(run.state)" + (run.lastError.map { " (\($0))" } ?? ""))
            }
            switch run.state {
            case .succeeded: return
            case .dead: throw ExitCode(ExitStatus.failure.rawValue)
            case .pending, .running:
                throw CLIFailure(
                    exit: .failure,
                    message: "run \(id) did not finish within \(timeout)s (it is \(run.state))"
                )
            }
        }
    }
}
