import ArgumentParser
import InclusionCore
import InclusionStore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Create and keep SEN support plans and EHC plans, with their outcomes and review dates.",
        discussion: """
            A pupil has at most one active plan of each kind. Reviews fall due on the plan's cycle: SEN support \
            plans termly by default (the last day of the first term ending at least 6 weeks after the plan started \
            or was last reviewed), EHC plans every 12 months from issue or last review (6 months for a child under \
            5). Record reviews with `review record --plan PLAN`.
            """,
        subcommands: [PlanCreate.self, PlanActivate.self, PlanClose.self, PlanOutcomeAdd.self, PlanShow.self]
    )
}

struct PlanCreate: ParsableCommand {
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

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pupil's UPN.") var upn: String
    @OptionGroup var school: PupilSchoolOption
    @Option(help: "sen-support or ehcp.") var kind: String
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
            kind: try PlanKind.parse(kind, field: "kind"),
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

struct PlanActivate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Put a draft plan in force; its next review date is worked out now.",
        discussion: "A pupil can have one active plan of each kind: close the old one first."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64

    func run() throws {
        let store = PlanStore(connection: try global.connect())
        try store.activate(plan: id)
        if global.json {
            try global.output.changed(id: id, "")
            return
        }
        let due = try store.show(plan: id).nextReviewDue
        global.output.line("Plan \(id) is active; next review due \(due?.description ?? "-").")
    }
}

struct PlanClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a plan, dated today, with the reason (e.g. needs met, EHC plan issued, left).",
        discussion: "A closed plan is kept as history; a new plan is created, never reopened."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64
    @Option(help: "Why it closes (at most 2000 characters).") var reason: String

    func run() throws {
        let reason = try TextField.validate(self.reason, field: "reason", maxLength: 2000)
        let today = try global.today
        try PlanStore(connection: try global.connect()).close(plan: id, reason: reason, today: today)
        try global.output.changed(id: id, "Closed plan \(id) on \(today).")
    }
}

struct PlanOutcomeAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Add a SMART outcome to a plan.",
        discussion: """
            Example:
              inclusionctl plan outcome 7 --area cognition-learning --by 2027-03-26 \\
                  --text "Reads 40 words a minute from a book at his level"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64
    @Option(help: "The area of need: cognition-learning, communication-interaction, semh or sensory-physical.")
    var area: String
    @Option(help: "The outcome, specific and measurable (at most 4000 characters).") var text: String
    @Option(help: ArgumentHelp("The day it should be achieved by (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date"))
    var by: String?

    func run() throws {
        let area = try AreaOfNeed.parse(self.area, field: "area")
        let text = try TextField.validate(self.text, field: "text", maxLength: 4000)
        let by = try self.by.map { text throws(ValidationError) in try Day.parse(text, field: "by") }
        let outcome = try PlanStore(connection: try global.connect()).addOutcome(
            plan: id,
            area: area,
            text: text,
            by: by
        )
        try global.output.created(id: outcome, "Added outcome \(outcome) (\(area)) to plan \(id).")
    }
}

struct PlanShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a plan with its outcomes, reviews and (EHC plans) annual-review milestones."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The plan number.", valueName: "plan")) var id: Int64

    func run() throws {
        let plan = try PlanStore(connection: try global.connect()).show(plan: id)
        if global.json {
            try global.output.document(Versioned(plan))
            return
        }
        let output = global.output
        output.line("plan \(plan.id): \(plan.kind) for \(plan.upn) at school \(plan.schoolURN), \(plan.status)")
        output.line("starts \(plan.starts), reviewed \(plan.reviewEvery)")
        if plan.kind == .ehcp {
            output.line(
                "issued \(plan.issued?.description ?? "-") by \(plan.issuingLA ?? "-")"
            )
        }
        output.line(
            "last reviewed \(plan.lastReviewed?.description ?? "-"), next review due "
                + (plan.nextReviewDue?.description ?? "-")
        )
        if plan.kind == .ehcp {
            output.line(
                "annual review: meeting \(plan.reviewMeetingOn?.description ?? "-"), invitations sent "
                    + "\(plan.invitationsSentOn?.description ?? "-"), report sent "
                    + (plan.reportSentOn?.description ?? "-")
            )
        }
        if let closedOn = plan.closedOn { output.line("closed \(closedOn): \(plan.closeReason ?? "")") }
        output.line("outcomes:")
        for outcome in plan.outcomes {
            output.line("  \(outcome.id). [\(outcome.area)] \(outcome.text)" + (outcome.by.map { " (by \($0))" } ?? ""))
        }
        if plan.outcomes.isEmpty { output.line("  (none)") }
        output.line("reviews:")
        for review in plan.reviews {
            let parent = review.parentAttended ? ", parent attended" : ""
            output.line("  \(review.heldOn): \(review.outcome?.rawValue ?? "no outcome recorded")\(parent)")
        }
        if plan.reviews.isEmpty { output.line("  (none)") }
    }
}
