import ArgumentParser
import InclusionCore

// Every fixed choice of the command line is an `ExpressibleByArgument` enum, so help lists its values, shell
// completions offer them, and a value outside the list is a usage error (exit 64) before anything connects.
// Parsing stays the core's: case and surrounding whitespace are ignored, as they are in a CSV cell.

extension ExpressibleByArgument where Self: TextChoice {
    public init?(argument: String) {
        guard let value = try? Self.parse(argument, field: "argument") else { return nil }
        self = value
    }
}

extension AreaOfNeed: ExpressibleByArgument {}
extension CaseCategory: ExpressibleByArgument {}
extension NeedCode: ExpressibleByArgument {}
extension NoteKind: ExpressibleByArgument {}
extension PlanKind: ExpressibleByArgument {}
extension ReviewOutcome: ExpressibleByArgument {}
extension SENStatus: ExpressibleByArgument {}
extension StaffRole: ExpressibleByArgument {}
extension YearGroup: ExpressibleByArgument {}
