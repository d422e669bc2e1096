import CLibPQ

/// The rows of one statement's result, owning the libpq `PGresult` and freeing it when released.
public final class QueryResult {
    let handle: OpaquePointer
    /// Number of rows returned.
    public let count: Int
    /// Number of columns per row.
    public let columnCount: Int

    init(handle: OpaquePointer) {
        self.handle = handle
        self.count = Int(PQntuples(handle))
        self.columnCount = Int(PQnfields(handle))
    }

    deinit { PQclear(handle) }

    /// Rows affected by an INSERT/UPDATE/DELETE/MERGE/COPY, from the command tag.
    public var affectedRows: Int {
        guard let text = PQcmdTuples(handle) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// The column names, in order.
    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) }
    }

    /// The columns by name, built on the first lookup: rows decode by name, and libpq's `PQfnumber` folds and
    /// copies the name and compares it with every column's on each call (a measurable share of the review sweep's
    /// client time at 250,000 pupils).
    private var columnsByName: [String: Int]?

    /// The index of a named column, if present. Names as the server sends them (lower case unless quoted) are
    /// looked up in a table; any other spelling goes to `PQfnumber`, which applies SQL's case folding and quoting.
    public func columnIndex(_ name: String) -> Int? {
        if columnsByName == nil {
            var names: [String: Int] = [:]
            // A name used twice keeps its first column, as PQfnumber does.
            for (index, column) in columnNames.enumerated() where names[column] == nil { names[column] = index }
            columnsByName = names
        }
        if let index = columnsByName?[name] { return index }
        let index = PQfnumber(handle, name)
        return index < 0 ? nil : Int(index)
    }

    func text(row: Int, column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }
}

extension QueryResult: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> Row { Row(result: self, index: position) }
}

/// One row of a ``QueryResult``.
public struct Row {
    let result: QueryResult
    let index: Int

    /// The raw text of a column, nil for NULL.
    public func text(_ column: Int) -> String? { result.text(row: index, column: column) }

    /// Decodes a column by position.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: Int) throws(PostgresError) -> T {
        guard column >= 0, column < result.columnCount else {
            throw PostgresError(code: .decoding, serverMessage: "no column \(column)")
        }
        do {
            return try T.decode(postgresText: result.text(row: index, column: column))
        } catch {
            throw PostgresError(
                code: .decoding,
                column: String(cString: PQfname(result.handle, Int32(column))),
                serverMessage: error.serverMessage
            )
        }
    }

    /// Decodes a column by name.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws(PostgresError) -> T {
        guard let column = result.columnIndex(name) else {
            throw PostgresError(code: .decoding, column: name, serverMessage: "no column named \(name)")
        }
        return try decode(type, column)
    }

    /// Every column as text, in order (nil for NULL).
    public var texts: [String?] { (0..<result.columnCount).map { text($0) } }
}
