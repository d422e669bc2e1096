/// The columns of a `pupil import` file, in the order the file has them.
public struct PupilImportHeader: Hashable, Sendable {
    /// The file's columns, left to right.
    public let columns: [PupilImportColumn]
    private let positions: [PupilImportColumn: Int]

    /// A header whose columns are `columns`, left to right; they must be distinct.
    public init(columns: [PupilImportColumn]) {
        self.columns = columns
        self.positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
    }

    /// The index of `column` in a record, or nil when the file does not have it.
    public func index(of column: PupilImportColumn) -> Int? {
        positions[column]
    }

    /// The number of fields every record must have.
    public var fieldCount: Int { columns.count }
}
