import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Plan {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a plan with its outcomes, reviews and (EHC plans) annual-review milestones."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
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
                if let decision = plan.laDecision, let on = plan.laDecisionOn {
                    output.line("LA decision: \(decision) on \(on)")
                }
                if plan.amendmentsProposedOn != nil || plan.amendedIssuedOn != nil {
                    output.line(
                        "amendments proposed \(plan.amendmentsProposedOn?.description ?? "-"), amended plan issued "
                            + (plan.amendedIssuedOn?.description ?? "-")
                    )
                }
            }
            if let closedOn = plan.closedOn { output.line("closed \(closedOn): \(plan.closeReason ?? "")") }
            output.line("outcomes:")
            for outcome in plan.outcomes {
                output.line(
                    "  \(outcome.id). [\(outcome.area)] \(outcome.text)" + (outcome.by.map { " (by \($0))" } ?? "")
                )
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
}
