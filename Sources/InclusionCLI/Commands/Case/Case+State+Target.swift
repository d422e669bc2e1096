import ArgumentParser
import InclusionCore

extension Inclusionctl.Case.State {
    /// The states `case state --to` may move a case to; closing is `case close`, which records the outcome.
    enum Target: String, CaseIterable, ExpressibleByArgument {
        case assessing
        case monitoring

        var state: CaseState {
            switch self {
            case .assessing: .assessing
            case .monitoring: .monitoring
            }
        }
    }
}
