import ArgumentParser
import InclusionCore
import InclusionStore

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Record reviews of plans and interventions, and EHC annual-review milestones.",
        discussion: """
            Recording a plan's review moves its next review date on by the plan's cycle. For an EHC plan's annual \
            review, record the meeting date, when invitations went out (at least 2 weeks before the meeting) and \
            when the report went to the local authority (within 2 weeks after it).
            """,
        subcommands: [ReviewRecord.self, ReviewMeeting.self, ReviewInvitationsSent.self, ReviewReportSent.self]
    )
}

struct ReviewRecord: ParsableCommand {
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

    @OptionGroup var global: GlobalOptions
    @Option(help: "The plan reviewed.") var plan: Int64?
    @Option(help: "The intervention reviewed.") var intervention: Int64?
    @Option(help: ArgumentHelp("The day the review was held (not in the future).", valueName: "date"))
    var heldOn: String
    @Flag(help: "A parent or carer attended.") var parentAttended = false
    @Option(help: "The pupil's views, in their own words (at most 10,000 characters).") var pupilViews: String?
    @Option(help: "The parents' or carers' views (at most 10,000 characters).") var parentViews: String?
    @Option(help: "What was decided: continue, amend, cease or escalate.") var outcome: String?
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
        fields.outcome = try outcome.map { text throws(ValidationError) in
            try ReviewOutcome.parse(text, field: "outcome")
        }
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

/// The options of the three EHC annual-review milestone commands.
struct MilestoneOptions: ParsableArguments {
    @Option(help: "The EHC plan.") var plan: Int64
    @Option(help: ArgumentHelp("The day (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date")) var on: String

    func record(_ milestone: EHCPMilestone, global: GlobalOptions) throws {
        let day = try Day.parse(on, field: "on")
        let today = try global.today
        try PlanStore(connection: try global.connect()).setMilestone(milestone, plan: plan, on: day, today: today)
        let sentence =
            switch milestone {
            case .meeting: "The annual review meeting of plan \(plan) is recorded for \(day)."
            case .invitationsSent: "Invitations to plan \(plan)'s annual review recorded as sent on \(day)."
            case .reportSent: "Plan \(plan)'s annual review report recorded as sent to the LA on \(day)."
            }
        try global.output.changed(id: plan, sentence)
    }
}

struct ReviewMeeting: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting",
        abstract: "Record the date of an EHC plan's annual review meeting (arranged or held).",
        discussion: """
            A meeting date after the last report was sent starts the next annual review: its invitation and report \
            dates are cleared so they are watched afresh.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MilestoneOptions

    func run() throws { try options.record(.meeting, global: global) }
}

struct ReviewInvitationsSent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invitations-sent",
        abstract: "Record the day invitations to an EHC annual review went out (at least 2 weeks before it)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MilestoneOptions

    func run() throws { try options.record(.invitationsSent, global: global) }
}

struct ReviewReportSent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-sent",
        abstract: "Record the day the EHC annual review report went to the local authority (within 2 weeks).",
        discussion: "Record the meeting first (`review meeting`); the report goes on or after the meeting day."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MilestoneOptions

    func run() throws { try options.record(.reportSent, global: global) }
}
