import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Case {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open a case about a pupil, dated today or the day the concern was raised.",
            discussion: """
                A case's notes are dated on or after the day it opened: to log a concern raised earlier, with its \
                notes, open it with --on that day.

                Examples:
                  inclusionctl case open A123456789012 --category concern \\
                      --summary "Struggling to read"
                  inclusionctl case open A123456789012 --category parent-request --on 2026-09-14 \\
                      --summary "Parent asked for a reading assessment at the September meeting"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The pupil's UPN.") var upn: String
        @OptionGroup var school: PupilSchoolOption
        @Option(help: "Why the case is opened.") var category: CaseCategory
        @Option(help: "What the concern is, in a sentence or two (at most 2000 characters).") var summary: String
        @Option(
            help: ArgumentHelp(
                "The day the concern was raised, if not today (YYYY-MM-DD or DD/MM/YYYY; not in the future).",
                valueName: "date"
            )
        )
        var on: String?

        func run() throws {
            let summary = try TextField.validate(self.summary, field: "summary", maxLength: 2000)
            let upn = try UPN(self.upn)
            let today = try global.today
            let day = try on.map { text throws(ValidationError) in try Day.parse(text, field: "on") } ?? today
            let connection = try global.connect()
            let pupil = try PupilFinder(connection: connection, schoolURN: school.urn).find(upn.text)
            let id = try CaseStore(connection: connection).open(
                pupil: pupil,
                category: category,
                summary: summary,
                on: day,
                today: today
            )
            try global.output.created(id: id, "Opened case \(id) (\(category)) about \(upn) on \(day).")
        }
    }
}
