import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Report {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "due",
            abstract: "List what falls due in the next days and is not yet overdue, by due day.",
            discussion: """
                Rows: every SEN support and EHCP review due from the as-of day to --within days after it (as \
                `review list` judges them), the EHCP annual review's statutory milestones in that span (the last \
                day to send invitations, to send the report, for the local authority's decision and for the \
                amended plan: the day after which the rule named in kind would fire), and open phase-transfer \
                deadlines in that span.

                Columns (CSV header and JSON fields): kind (the rule), school_urn, upn, pupil_name, subject, due_on, \
                days_left (the days from the as-of day to due_on), alert_id, severity.

                Examples:
                  inclusionctl report due
                  inclusionctl report due --within 7 --school 100101 --format csv > due.csv
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: ArgumentHelp("How many days ahead to look (0 to 366).", valueName: "days")) var within = 14
        @OptionGroup var options: Inclusionctl.Report.Options

        func validate() throws {
            if !(0...366).contains(within) {
                throw ArgumentParser.ValidationError("--within takes 0 to 366 days")
            }
        }

        func run() throws {
            let format = try options.format(global)
            let day = try options.day(global)
            let connection = try global.connect()
            let items = try ReportStore(connection: connection).due(
                asOf: day,
                withinDays: within,
                school: try options.schoolID(connection)
            )
            try Inclusionctl.Report.itemTable(items, days: ("days_left", "DAYS LEFT")) { day.days(to: $0.dueOn) }
                .write(format, to: global.output)
        }
    }
}
