/// A value that can be read from a result column in PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Decodes a column's text, or nil for SQL NULL.
    static func decode(postgresText text: String?) throws(PostgresError) -> Self
}

extension PostgresDecodable {
    static func nullError() -> PostgresError {
        PostgresError(code: .decoding, serverMessage: "unexpected NULL for \(Self.self)")
    }

    static func invalid() -> PostgresError {
        PostgresError(code: .decoding, serverMessage: "column text is not a valid \(Self.self)")
    }
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> String {
        guard let text else { throw nullError() }
        return text
    }
}

extension Int: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Int {
        guard let text else { throw nullError() }
        guard let value = Int(text) else { throw invalid() }
        return value
    }
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Int64 {
        guard let text else { throw nullError() }
        guard let value = Int64(text) else { throw invalid() }
        return value
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Int32 {
        guard let text else { throw nullError() }
        guard let value = Int32(text) else { throw invalid() }
        return value
    }
}

extension Double: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Double {
        guard let text else { throw nullError() }
        guard let value = Double(text) else { throw invalid() }
        return value
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Bool {
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        case nil: throw nullError()
        default: throw invalid()
        }
    }
}

/// A string-backed enum decodes from its raw value: declaring `extension Kind: PostgresDecodable {}` is enough. Text
/// that is none of its raw values is a ``PostgresError`` with code `.decoding` naming the type (never the text,
/// which could be anything a column holds).
extension PostgresDecodable where Self: RawRepresentable, RawValue == String {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Self {
        guard let text else { throw nullError() }
        guard let value = Self(rawValue: text) else { throw invalid() }
        return value
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresError) -> Wrapped? {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text)
    }
}

/// Elements of a one-dimensional PostgreSQL array in text form (`{a,"b c",NULL}`).
public struct PostgresTextArray: PostgresDecodable, Sendable, Equatable {
    public var elements: [String?]

    public init(elements: [String?]) { self.elements = elements }

    public static func decode(postgresText text: String?) throws(PostgresError) -> PostgresTextArray {
        guard let text else { throw nullError() }
        guard let parsed = parse(text) else { throw invalid() }
        return PostgresTextArray(elements: parsed)
    }

    /// Parses the server's text form of a one-dimensional array: `{a,"b c",NULL,"NULL"}`. Works on the UTF-8 bytes
    /// (every byte the syntax cares about is ASCII, and no byte of a multi-byte character is), so a sweep's many
    /// arrays of dates cost one pass each.
    static func parse(_ text: String) -> [String?]? {
        var text = text
        return text.withUTF8 { bytes -> [String?]? in
            // Arrays with explicit bounds ("[0:1]={...}") are not produced by our queries.
            guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
                return nil
            }
            var elements: [String?] = []
            if bytes.count == 2 { return elements }
            var current: [UInt8] = []
            var quoted = false
            var wasQuoted = false
            var escaped = false
            func finish() {
                let element = String(decoding: current, as: UTF8.self)
                elements.append(!wasQuoted && element == "NULL" ? nil : element)
                current.removeAll(keepingCapacity: true)
                wasQuoted = false
            }
            for byte in bytes[1..<(bytes.count - 1)] {
                if escaped {
                    current.append(byte)
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    quoted.toggle()
                    wasQuoted = true
                } else if byte == UInt8(ascii: ",") && !quoted {
                    finish()
                } else {
                    current.append(byte)
                }
            }
            if quoted || escaped { return nil }
            finish()
            return elements
        }
    }
}
