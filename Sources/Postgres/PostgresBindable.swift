/// A value that can be sent as a statement parameter, in PostgreSQL's text format.
///
/// Parameters always travel separately from the SQL text (`PQexecParams`), so no value is ever spliced into a
/// statement.
public protocol PostgresBindable: Sendable {
    /// The text form of the value, or nil for SQL NULL.
    var postgresText: String? { get }
}

extension String: PostgresBindable {
    public var postgresText: String? { self }
}

extension Substring: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Int: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Int32: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresBindable {
    public var postgresText: String? { String(self) }
}

extension Double: PostgresBindable {
    public var postgresText: String? { "\(self)" }
}

extension Bool: PostgresBindable {
    public var postgresText: String? { self ? "true" : "false" }
}

/// A string-backed enum binds as its raw value: declaring `extension Kind: PostgresBindable {}` is enough.
extension PostgresBindable where Self: RawRepresentable, RawValue == String {
    public var postgresText: String? { rawValue }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String? {
        switch self {
        case .none: return nil
        case .some(let value): return value.postgresText
        }
    }
}

/// A PostgreSQL array literal (`{a,b}`) of text elements; elements are quoted and escaped.
public struct PostgresArray: PostgresBindable {
    public let elements: [String?]

    public init(_ elements: [String?]) { self.elements = elements }
    public init<S: Sequence>(_ elements: S) where S.Element: PostgresBindable {
        self.elements = elements.map(\.postgresText)
    }

    public var postgresText: String? {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in element {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}
