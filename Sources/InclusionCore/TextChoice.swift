/// A value picked from a fixed list and written as text: a command-line option's argument or a CSV cell.
///
/// Each case's raw value is its spelling on the command line and in JSON. Parsing ignores case and surrounding
/// whitespace, and a failure lists every allowed spelling, so the person can fix the value without the manual.
public protocol TextChoice: RawRepresentable<String>, CaseIterable, Sendable, Codable, Hashable {
    /// Words naming what is being chosen, used in error messages, e.g. "an area of need".
    static var choiceName: String { get }
}

extension TextChoice {
    /// The allowed spellings, comma-separated, e.g. `draft, active, closed`.
    public static var allowedValuesText: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Parses text typed by a person or read from a file; case and surrounding whitespace are ignored.
    ///
    /// - Throws: a ``ValidationError`` for `field` that lists the allowed values and does not repeat the text.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> Self {
        let wanted = text.trimmingWhitespace()
        if let match = allCases.first(where: { $0.rawValue.equalsIgnoringASCIICase(wanted) }) {
            return match
        }
        let problem = wanted.isEmpty ? "is empty" : "is not \(choiceName)"
        throw ValidationError(field: field, message: "\(problem); use one of: \(allowedValuesText)")
    }
}
