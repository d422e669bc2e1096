/// Every problem found in one input, such as one row of an import, so that a person can fix them all at once.
public struct ValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in the order of the input's columns.
    public var errors: [ValidationError]

    /// Wraps a list of problems; it should not be empty.
    public init(_ errors: [ValidationError]) {
        self.errors = errors
    }

    /// One problem per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
