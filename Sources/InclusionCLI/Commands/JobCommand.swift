import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "List, run, pause and resume the daemons' scheduled jobs (running and pausing is for admins).",
        subcommands: [JobList.self, JobRuns.self, JobRun.self, JobPause.self, JobResume.self]
    )
}

struct JobList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs and their last run.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let jobs = try JobStore(connection: try global.connect()).jobs()
        try global.output.list(jobs) {
            global.output.table(
                ["JOB", "SCHEDULE", "PAUSED", "LAST RUN", "STATE"],
                jobs.map {
                    [
                        $0.name, $0.schedule, $0.paused ? "yes" : "no", $0.lastRun?.scheduledFor ?? "",
                        $0.lastRun?.state ?? "",
                    ]
                }
            )
        }
    }
}

struct JobRuns: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "Show a job's recent runs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's name.") var name: String
    @Option(help: "How many runs, newest first.") var limit = 20

    func run() throws {
        let runs = try JobStore(connection: try global.connect()).runs(job: name, limit: max(1, min(limit, 1000)))
        try global.output.list(runs) {
            global.output.table(
                ["RUN", "SCHEDULED FOR", "INSTANCE", "STATE", "ATTEMPT", "STARTED", "FINISHED", "ERROR"],
                runs.map {
                    [
                        String($0.id) + ($0.manual ? " (manual)" : ""), $0.scheduledFor, $0.instance ?? "", $0.state,
                        String($0.attempt), $0.startedAt ?? "", $0.finishedAt ?? "", $0.lastError ?? "",
                    ]
                }
            )
        }
    }
}

struct JobRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job now on any live daemon (a run of its own, retried like any other).",
        discussion: "With --wait: exit 0 when the run succeeds, 1 when it fails for good, 3 when no daemon is live."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The job's name.") var name: String
    @Flag(help: "Wait for the run to finish.") var wait = false
    @Option(help: "Evaluate as of this day (YYYY-MM-DD), e.g. \"what will be due on Monday\".") var asOf: String?
    @Option(help: "With --wait: give up after this many seconds.") var timeout = 300

    func run() throws {
        let asOf = try self.asOf.map { text throws(ValidationError) in try Day.parse(text, field: "as-of").description }
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
        while let current = run, current.state != "succeeded", current.state != "dead", Date() < deadline {
            if current.state == "pending", try store.liveInstanceCount() == 0 {
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
        case "succeeded": return
        case "dead": throw ExitCode(ExitStatus.failure.rawValue)
        default:
            throw CLIFailure(
                exit: .failure,
                message: "run \(id) did not finish within \(timeout)s (it is \(run.state))"
            )
        }
    }
}

struct JobPause: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a job on every daemon (its scheduled runs stop until resumed; manual runs still go)."
    )

    @OptionGroup var global: GlobalOptions
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

struct JobResume: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused job.")

    @OptionGroup var global: GlobalOptions
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

struct Paused: Encodable {
    let version = 1
    let job: String
    let paused: Bool
}
