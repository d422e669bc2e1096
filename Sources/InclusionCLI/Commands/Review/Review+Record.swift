import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Review {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record a review held of a plan or of an intervention.",
            discussion: """
                Give exactly one of --plan and --intervention. Example:
                  inclusionctl review record --plan 7 --held-on 2026-12-10 \\
                      --parent-attended --outcome continue \\
                      --pupil-views "I like the reading group" --notes "Targets met"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The plan reviewed.") var plan: Int64?
        @Option(help: "The intervention reviewed.") var intervention: Int64?
        @Option(help: ArgumentHelp("The day the review was held (not in the future).", valueName: "date"))
        var heldOn: String
        @Flag(help: "A parent or carer attended.") var parentAttended = false
        @Option(help: "The pupil's views, in their own words (at most 10,000 characters).") var pupilViews: String?
        @Option(help: "The parents' or carers' views (at most 10,000 characters).") var parentViews: String?
        @Option(help: "What was decided.") var outcome: ReviewOutcome?
        @Option(help: "Notes of the review (at most 100,000 characters).") var notes: String?

        func validate() throws {
            if (plan == nil) == (intervention == nil) {
                throw ArgumentParser.ValidationError("give exactly one of --plan PLAN and --intervention ID")
            }
        }

        func run() throws {
            var fields = ReviewFields(heldOn: try Day.parse(heldOn, field: "held-on"))
            fields.parentAttended = parentAttended
            fields.pupilViews = try pupilViews.map { text throws(ValidationError) in
                try TextField.validate(text, field: "pupil-views", maxLength: 10_000)
            }
            fields.parentViews = try parentViews.map { text throws(ValidationError) in
                try TextField.validate(text, field: "parent-views", maxLength: 10_000)
            }
            fields.outcome = outcome
            fields.notes = try notes.map { text throws(ValidationError) in
                try TextField.validate(text, field: "notes", maxLength: 100_000)
            }
            let subject: ReviewSubject = plan.map { .plan($0) } ?? .intervention(intervention ?? 0)
            let today = try global.today
            let connection = try global.connect()
            let id = try ReviewStore(connection: connection).record(subject, fields: fields, today: today)
            if global.json {
                try global.output.created(id: id, "")
                return
            }
            switch subject {
            case .plan(let plan):
                let due = try PlanStore(connection: connection).show(plan: plan).nextReviewDue
                global.output.line(
                    "Recorded review \(id) of plan \(plan); next review due \(due?.description ?? "-")."
                )
            case .intervention(let intervention):
                global.output.line("Recorded review \(id) of intervention \(intervention).")
            }
        }
    }
}
