/// One record of a CSV file, as read by ``CSVRecordReader``.
public struct CSVRecord: Hashable, Sendable {
    /// Something wrong with a record's bytes. The record is still returned, so that an import can list every bad
    /// line at once rather than stopping at the first.
    public enum Problem: Hashable, Sendable {
        /// The field at this index (0-based) is not valid UTF-8; its text was decoded with U+FFFD replacement
        /// characters and must not be stored.
        case invalidUTF8(fieldIndex: Int)
        /// The field at this index has text after its closing quote (`"ab"c`); the text was kept after the quoted
        /// part, but the file is probably damaged.
        case textAfterClosingQuote(fieldIndex: Int)
        /// The record is longer than the reader's limit; the excess bytes were dropped.
        case tooLong(limit: Int)

        /// The problem and its fix, naming neither the data nor the line.
        public var message: String {
            switch self {
            case .invalidUTF8:
                "is not valid UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8) and import it again"
            case .textAfterClosingQuote:
                "has text after a closing double quote; a field with quotes must be wholly quoted, with each quote "
                    + "inside it doubled (\"\")"
            case .tooLong(let limit):
                "this record is longer than \(limit) bytes, far more than a pupil record needs; check for a "
                    + "missing closing quote"
            }
        }
    }

    /// The fields, decoded as UTF-8.
    public var fields: [String]
    /// The physical line the record starts on; the first line of the file is 1.
    public var line: Int
    /// The first problem found in the record's bytes, or nil for a well-formed record.
    public var problem: Problem?

    /// A record of `fields` starting on physical line `line`.
    public init(fields: [String], line: Int, problem: Problem? = nil) {
        self.fields = fields
        self.line = line
        self.problem = problem
    }

    /// The problem as an error at this record's line, naming the field by `columnNames` when it is given and long
    /// enough (otherwise `column N`, counting from 1); nil for a well-formed record.
    public func problemError(columnNames: [String] = []) -> ValidationError? {
        guard let problem else {
            return nil
        }
        let field: String
        switch problem {
        case .invalidUTF8(let index), .textAfterClosingQuote(let index):
            field = index < columnNames.count ? columnNames[index] : "column \(index + 1)"
        case .tooLong:
            field = "row"
        }
        return ValidationError(field: field, message: problem.message, line: line)
    }
}
