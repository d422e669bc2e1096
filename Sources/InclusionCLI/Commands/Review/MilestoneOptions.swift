import ArgumentParser
import InclusionCore
import InclusionStore

/// The options of the EHC annual-review milestone commands and of the LA's amendment dates.
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
            case .amendmentsProposed: "The LA's proposed amendments to plan \(plan) recorded as sent on \(day)."
            case .amendedIssued: "Plan \(plan)'s amended plan recorded as issued on \(day)."
            }
        try global.output.changed(id: plan, sentence)
    }
}
