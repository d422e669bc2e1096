import ArgumentParser
import InclusionCore

extension Inclusionctl.School.Set {
    /// The deadlines of `--transfer YEAR=DEADLINE` (reg 18(1)): before 15 February, or before 31 March for
    /// secondary school to a post-16 institution.
    enum Deadline: String, CaseIterable, ExpressibleByArgument {
        case feb15
        case mar31

        var deadline: PhaseTransferDeadline.Deadline {
            switch self {
            case .feb15: .feb15
            case .mar31: .mar31
            }
        }
    }

    /// One `--transfer 6=feb15`: a year group (its census spelling, any case) and its deadline.
    struct Transfer: ExpressibleByArgument {
        let yearGroup: YearGroup
        let deadline: PhaseTransferDeadline.Deadline

        init?(argument: String) {
            let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let year = YearGroup(argument: String(parts[0])),
                let deadline = Deadline(argument: String(parts[1]).lowercased())
            else { return nil }
            self.yearGroup = year
            self.deadline = deadline.deadline
        }
    }
}
