/// What `review record` writes, and the checks a review must pass.
public struct ReviewFields: Sendable {
    public var heldOn: Day
    public var parentAttended = false
    public var pupilViews: String?
    public var parentViews: String?
    public var outcome: ReviewOutcome?
    public var notes: String?

    public init(heldOn: Day) { self.heldOn = heldOn }

    /// A review is recorded once it is held: its day is not after `today`.
    public func check(today: Day) throws(ValidationError) {
        guard heldOn <= today else {
            throw ValidationError(
                field: "held-on",
                message: "the review date is in the future; record a review once it is held"
            )
        }
    }

    /// A review is not held before what it reviews starts; `what` is "plan" or "intervention".
    public func check(startsOn starts: Day, of what: String) throws(ValidationError) {
        guard heldOn >= starts else {
            throw ValidationError(field: "held-on", message: "the review is before the \(what) starts (\(starts))")
        }
    }
}
