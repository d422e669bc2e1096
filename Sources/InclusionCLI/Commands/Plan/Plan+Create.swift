import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Plan {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a plan for a pupil (active, unless --draft).",
            discussion: """
                Examples:
                  inclusionctl plan create A123456789012 --kind sen-support --starts 2026-09-10
                  inclusionctl plan create A123456789012 --kind ehcp --starts 2026-10-05 \\
                      --issued 2026-10-05 --issuing-la "Leeds"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: "The pupil's UPN.") var upn: String
        @OptionGroup var school: PupilSchoolOption
        @Option(help: "SEN support plan or EHC plan.") var kind: PlanKind
        @Option(help: ArgumentHelp("The day the plan starts (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date"))
        var starts: String
        @Flag(help: "Save as a draft, not yet in force (no reviews fall due); `plan activate` puts it in force.")
        var draft = false
        @Option(help: ArgumentHelp("EHC plans: the day the local authority issued the plan.", valueName: "date"))
        var issued: String?
        @Option(help: ArgumentHelp("EHC plans: the local authority that issued it.", valueName: "name"))
        var issuingLa: String?
        @Option(help: ArgumentHelp("The day it was last reviewed, for a plan already running.", valueName: "date"))
        var lastReviewed: String?
        @Option(
            help: ArgumentHelp(
                """
                How often it is reviewed: termly, Nm (N months, e.g. 6m) or Nw (N weeks). Default: termly for SEN \
                support; 12m for an EHC plan (6m for a child under 5).
                """,
                valueName: "cycle"
            )
        )
        var reviewEvery: String?

        func run() throws {
            let upn = try UPN(self.upn)
            var fields = PlanFields(
                kind: kind,
                starts: try Day.parse(starts, field: "starts")
            )
            fields.draft = draft
            fields.issued = try issued.map { text throws(ValidationError) in try Day.parse(text, field: "issued") }
            fields.issuingLA = try issuingLa.map { text throws(ValidationError) in
                try TextField.validate(text, field: "issuing-la", maxLength: 200)
            }
            fields.lastReviewed = try lastReviewed.map { text throws(ValidationError) in
                try Day.parse(text, field: "last-reviewed")
            }
            fields.reviewEvery = try reviewEvery.map { text throws(ValidationError) in
                try ReviewCycle.parse(text, field: "review-every")
            }
            let today = try global.today
            let connection = try global.connect()
            let pupil = try PupilFinder(connection: connection, schoolURN: school.urn).find(upn.text)
            let store = PlanStore(connection: connection)
            let id = try store.create(pupil: pupil, fields: fields, today: today)
            if global.json {
                try global.output.created(id: id, "")
                return
            }
            let plan = try store.show(plan: id)
            global.output.line(
                "Created \(plan.status) \(plan.kind) plan \(id) for \(upn), reviewed \(plan.reviewEvery); next review due "
                    + "\(plan.nextReviewDue?.description ?? "-")."
            )
        }
    }
}
