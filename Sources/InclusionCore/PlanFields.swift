/// What `plan create` records, and the checks a new plan must pass before it reaches the database. The store works
/// out the review cycle (when not given) and the next review date with ``reviewCycle(dateOfBirth:)`` and
/// ``firstReviewDue(cycle:terms:)``; it reads the school's term dates only for a termly cycle.
public struct PlanFields: Sendable {
    public var kind: PlanKind
    public var starts: Day
    public var draft = false
    public var reviewEvery: ReviewCycle?
    public var lastReviewed: Day?
    public var issued: Day?
    public var issuingLA: String?

    public init(kind: PlanKind, starts: Day) {
        self.kind = kind
        self.starts = starts
    }

    /// The day the plan's review cycle counts from: its last review, else (for an EHC plan) the day it was issued,
    /// else the day it starts.
    public var reviewBase: Day { PlanKind.reviewBase(starts: starts, lastReviewed: lastReviewed, issued: issued) }

    /// Checks the dates and EHCP-only fields as of `today`: an issue date and an issuing LA belong to EHC plans
    /// only; the issue date and the last review have happened; the last review is not before the plan starts or
    /// was issued. Each error names the command-line option to fix.
    public func check(today: Day) throws(ValidationError) {
        if kind != .ehcp {
            if issued != nil {
                throw ValidationError(
                    field: "issued",
                    message: "only an EHC plan has an issue date; leave out --issued"
                )
            }
            if issuingLA != nil {
                throw ValidationError(
                    field: "issuing-la",
                    message: "only an EHC plan has an issuing LA; leave out --issuing-la"
                )
            }
        }
        if let issued, issued > today {
            throw ValidationError(
                field: "issued",
                message: "the issue date is in the future; give the day the LA issued the plan"
            )
        }
        if let lastReviewed {
            guard lastReviewed <= today else {
                throw ValidationError(
                    field: "last-reviewed",
                    message: "the last review is in the future; give the day it was held"
                )
            }
            guard lastReviewed >= starts else {
                throw ValidationError(
                    field: "last-reviewed",
                    message: "the last review is before the plan starts (--starts)"
                )
            }
            if let issued, lastReviewed < issued {
                throw ValidationError(
                    field: "last-reviewed",
                    message: "the last review is before the plan was issued (--issued)"
                )
            }
        }
    }

    /// The cycle the plan is reviewed on: `--review-every` when given, else its kind's default for a pupil born on
    /// `dateOfBirth` (``PlanKind/defaultReviewCycle(dateOfBirth:on:)``), judged on the review base.
    public func reviewCycle(dateOfBirth: Day) -> ReviewCycle {
        reviewEvery ?? kind.defaultReviewCycle(dateOfBirth: dateOfBirth, on: reviewBase)
    }

    /// The plan's first review due date on `cycle` (termly cycles follow `terms`, the school's term dates), which
    /// must fall after the plan starts: an EHC plan issued long before it starts here needs its last review.
    public func firstReviewDue(cycle: ReviewCycle, terms: [TermDates]) throws(ValidationError) -> Day {
        let due = cycle.nextDue(after: reviewBase, terms: terms)
        guard due > starts else {
            throw ValidationError(
                field: "issued",
                message: "the next review (\(cycle) after the issue date) would fall before the plan starts; give "
                    + "--last-reviewed for a plan already reviewed, or start the plan on its issue date"
            )
        }
        return due
    }
}

extension PlanKind {
    /// The cycle a plan gets when `--review-every` is not given (DESIGN §4): SEN support is reviewed termly; an
    /// EHC plan every 12 months (Children and Families Act s44), or every 6 months for a child under 5 on the day
    /// the cycle counts from.
    public func defaultReviewCycle(dateOfBirth: Day, on base: Day) -> ReviewCycle {
        switch self {
        case .senSupport: .termly
        case .ehcp: dateOfBirth.adding(months: 5 * 12) > base ? .months(6) : .months(12)
        }
    }

    /// The day a plan's review cycle counts from: its last review, else (for an EHC plan) the day it was issued,
    /// else the day it started.
    public static func reviewBase(starts: Day, lastReviewed: Day?, issued: Day?) -> Day {
        lastReviewed ?? issued ?? starts
    }
}
