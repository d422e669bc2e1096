import ArgumentParser
import Foundation
import InclusionStore
import Postgres

extension Inclusionctl {
    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reload",
            abstract: "Ask every live daemon to re-read its configuration (admins). Exit 3 when none is live.",
            discussion: """
                Example:
                  inclusionctl reload --timeout 30
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

        @Option(help: "Seconds to wait for every live daemon to answer.") var timeout = 10

        func run() throws {
            let store = JobStore(connection: try global.connect())
            guard try store.liveInstanceCount() > 0 else {
                if global.json {
                    throw CLIFailure(exit: .noLiveDaemon, message: "no inclusiond instance is live")
                }
                Output.warn("no inclusiond instance is live: nothing to reload")
                throw ExitCode(ExitStatus.noLiveDaemon.rawValue)
            }
            let request = try store.requestReload()
            var progress = try store.reloadProgress(request: request)
            for _ in 0..<(timeout * 10) where progress.acknowledged < progress.live {
                try sleepBriefly()
                progress = try store.reloadProgress(request: request)
            }
            if global.json {
                try global.output.document(
                    ReloadResult(
                        request: request,
                        live: progress.live,
                        acknowledged: progress.acknowledged,
                        failed: progress.failed
                    )
                )
            } else {
                global.output.line(
                    "\(progress.acknowledged) of \(progress.live) live instance(s) reloaded"
                        + (progress.failed > 0
                            ? "; \(progress.failed) kept the old configuration (see their logs)" : ".")
                )
            }
            if progress.failed > 0 {
                throw CLIFailure(
                    exit: .configuration,
                    message: "\(progress.failed) instance(s) refused the new configuration"
                )
            }
            if progress.acknowledged < progress.live {
                throw CLIFailure(exit: .failure, message: "not every live instance answered within \(timeout)s")
            }
        }

        struct ReloadResult: Encodable {
            let version = 1
            let request: Int64
            let live: Int
            let acknowledged: Int
            let failed: Int
        }
    }
}
