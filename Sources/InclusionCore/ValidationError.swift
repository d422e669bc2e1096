/// A problem with a value a person supplied: a command-line option, a CSV cell, a header.
///
/// `message` says what is wrong and how to fix it, in words a SENCO understands. It never contains the offending
/// value itself, because pupil data must not reach logs; it describes the problem instead.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, option or column the value belongs to, e.g. `upn` or `date_of_birth`.
    public var field: String
    /// The problem and its fix, without the value itself.
    public var message: String
    /// The physical line of the input file the value came from (the header is line 1), when there is a file.
    public var line: Int?

    /// Creates an error for `field`; `message` must not contain the offending value.
    public init(field: String, message: String, line: Int? = nil) {
        self.field = field
        self.message = message
        self.line = line
    }

    /// `field: message`, followed by ` (line N)` when the value came from a file.
    public var description: String {
        if let line {
            return "\(field): \(message) (line \(line))"
        }
        return "\(field): \(message)"
    }

    /// A copy of this error placed at a line of an input file.
    public func at(line: Int) -> ValidationError {
        var copy = self
        copy.line = line
        return copy
    }

    /// A copy of this error about another field, keeping the message (e.g. a date checked as `date` but imported
    /// from the `date_of_birth` column).
    public func about(field: String) -> ValidationError {
        var copy = self
        copy.field = field
        return copy
    }
}
