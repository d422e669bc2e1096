import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct ReportSent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report-sent",
            abstract: "Record the day the EHC annual review report went to the local authority (within 2 weeks).",
            discussion: """
                Record the meeting first (`review meeting`); the report goes on or after the meeting day.

                Example:
                  inclusionctl review report-sent --plan 7 --on 2026-11-27
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @OptionGroup var options: MilestoneOptions

        func run() throws { try options.record(.reportSent, global: global) }
    }
}
