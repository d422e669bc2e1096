/// Where a case about a pupil stands.
///
/// A case moves open → assessing → monitoring, and back and forth between assessing and monitoring as the
/// picture changes. Any case that is not closed can be closed (`case close`, which records an outcome); a closed
/// case is final, so a new concern opens a new case and the old chronology stays intact.
public enum CaseState: String, TextChoice, CustomStringConvertible {
    /// Newly raised; nobody is assessing it yet.
    case open
    /// The need is being assessed.
    case assessing
    /// Support is in place and being watched.
    case monitoring
    /// Finished, with an outcome. Final.
    case closed

    /// Words naming the choice in error messages.
    public static let choiceName = "a case state"

    /// The command-line spelling.
    public var description: String { rawValue }

    /// True when a case in this state may move to `next`. Staying in the same state is not a move.
    public func canMove(to next: CaseState) -> Bool {
        switch (self, next) {
        // A concern may go straight to monitoring when no assessment is needed.
        case (.open, .assessing), (.open, .monitoring), (.assessing, .monitoring), (.monitoring, .assessing): true
        case (.open, .closed), (.assessing, .closed), (.monitoring, .closed): true
        default: false
        }
    }

    /// The new state, or an error explaining why a case in this state cannot move to `next`.
    ///
    /// - Throws: a ``ValidationError`` for `field` (default `to`, the `case state` option).
    public func move(to next: CaseState, field: String = "to") throws(ValidationError) -> CaseState {
        guard canMove(to: next) else {
            let message: String
            switch (self, next) {
            case (.closed, _):
                message = "the case is closed and cannot change; open a new case instead"
            case _ where self == next:
                message = "the case is already \(next); nothing to change"
            default:
                let allowed = CaseState.allCases.filter { canMove(to: $0) }.map(\.rawValue)
                message =
                    "a case that is \(self) cannot move to \(next); it can move to: "
                    + allowed.joined(separator: ", ")
            }
            throw ValidationError(field: field, message: message)
        }
        return next
    }
}
