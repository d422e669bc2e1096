import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the reviews of your active plans by due day: SEN support reviews and EHCP last days.",
            discussion: """
                An EHC plan's review is due on its statutory last day, the anniversary of its issue or last review \
                minus one day (Children and Families Act 2014 s44(1)); a SEN support plan's on its next review date.
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(
            help: ArgumentHelp("Only reviews due within this many days (overdue ones included).", valueName: "days")
        )
        var dueWithin: Int?
        @Flag(help: "Only reviews already overdue.") var overdue = false
        @Option(help: ArgumentHelp("Judge as of this day instead of today.", valueName: "date")) var asOf: String?

        func validate() throws {
            if let dueWithin, !(0...366).contains(dueWithin) {
                throw ArgumentParser.ValidationError("--due-within takes 0 to 366 days")
            }
        }

        func run() throws {
            let day: Day
            if let asOf { day = try Day.parse(asOf, field: "as-of") } else { day = try global.today }
            let reviews = try ReviewSchedule(connection: try global.connect()).due(
                asOf: day,
                withinDays: dueWithin,
                overdueOnly: overdue
            )
            try global.output.list(reviews) {
                global.output.table(
                    ["PLAN", "KIND", "UPN", "SCHOOL", "DUE", ""],
                    reviews.map {
                        [
                            String($0.plan), $0.kind.rawValue, $0.upn, String($0.schoolURN), $0.dueOn.description,
                            $0.overdue ? "overdue" : "",
                        ]
                    }
                )
            }
        }
    }
}
