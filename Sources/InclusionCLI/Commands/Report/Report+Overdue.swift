import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Report {
    struct Overdue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "overdue",
            abstract: "List everything overdue or lapsed that you can see, most overdue first.",
            discussion: """
                Rows: every SEN support and EHCP review past its due day (as `review list --overdue` judges them, \
                with the open overdue alert's number when the review sweep has raised one), and every open alert of \
                a lapse rule that is not a review: ehcp-review-meeting-unarranged, ehcp-review-invitations-late, \
                ehcp-review-report-late, ehcp-review-decision-late, ehcp-amendment-late, \
                intervention-ended-unreviewed, intervention-delivery-lapsed, intervention-low-delivery, \
                sen-without-plan, plan-without-provision, case-stale, and phase-transfer-deadline once its last day \
                has passed. A review and its own alert make one row.

                Columns (CSV header and JSON fields): kind (the rule), school_urn, upn, pupil_name, subject, due_on, \
                days_overdue (the days from due_on to the as-of day), alert_id, severity. Alerts are those the last \
                sweep left open; --as-of moves the reviews' judgement and the count of days.

                Examples:
                  inclusionctl report overdue
                  inclusionctl report overdue --school 100101 --format csv > overdue.csv
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @OptionGroup var options: Inclusionctl.Report.Options

        func run() throws {
            let format = try options.format(global)
            let day = try options.day(global)
            let connection = try global.connect()
            let items = try ReportStore(connection: connection).overdue(
                asOf: day,
                school: try options.schoolID(connection)
            )
            try Inclusionctl.Report.itemTable(items, days: ("days_overdue", "DAYS OVERDUE")) { $0.dueOn.days(to: day) }
                .write(format, to: global.output)
        }
    }
}
