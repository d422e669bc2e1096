/// The text of a statement, or of a fragment of one, as this program wrote it.
///
/// Every function that sends SQL to the server takes an `SQL`, never a `String`, so a statement can only be built
/// from text in the program's source: a string literal is an `SQL` (`"SELECT 1"`), and fragments compose by
/// interpolation (`"SELECT \(columns) FROM \(tables) WHERE p.id = $1"`), which accepts other `SQL` values and
/// nothing else. `"… \(name) …"` with a `String` or an `Int` does not compile.
///
/// Interpolating values is deliberately not offered. Spliced into the text, a value is SQL injection as soon as one
/// holds a quote; turned into a parameter behind the caller's back (postgres-nio's `PostgresQuery` does that), it
/// would number its own `$n` beside the ones the statement already uses with the separate
/// `[any PostgresBindable]` array, and one statement would have two ways to pass a value. Here there is one: every
/// value travels as a `$n` parameter in that array, never in the text.
///
/// Two deliberately named ways in for text that is not a literal, both for text the program fixes itself:
/// ``init(trusted:)`` (an embedded migration file, an entry of a fixed list in the source) and ``identifier(_:)``
/// (a name quoted as an identifier). A name that comes from configuration or the database is quoted by libpq with
/// ``Connection/quoteIdentifier(_:)``.
public struct SQL: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The statement's text, as sent to the server.
    public let text: String

    /// A string literal, with no interpolation.
    public init(stringLiteral text: String) {
        self.text = text
    }

    /// Text the program fixed itself: an embedded migration, an entry of a list written in the source. Never text
    /// from a person, a file, the network or the database.
    public init(trusted text: String) {
        self.text = text
    }

    public init(stringInterpolation: StringInterpolation) {
        self.text = stringInterpolation.text
    }

    /// A name quoted as an SQL identifier the way libpq's `PQescapeIdentifier` does it: in double quotes, each double
    /// quote inside doubled (`a"b` becomes `"a""b"`). For names the program fixes; a name from elsewhere goes through
    /// ``Connection/quoteIdentifier(_:)``. A NUL byte, which no identifier can hold, stops the program.
    public static func identifier(_ name: String) -> SQL {
        precondition(!name.utf8.contains(0), "an SQL identifier cannot contain a NUL byte")
        var quoted = "\""
        for scalar in name.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(scalar)
        }
        quoted.unicodeScalars.append("\"")
        return SQL(trusted: quoted)
    }

    public var description: String { text }

    /// Builds an ``SQL`` from literal text and other ``SQL`` fragments only.
    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// Appends a fragment. There is no overload for values: see ``SQL``.
        public mutating func appendInterpolation(_ fragment: SQL) {
            text += fragment.text
        }
    }
}

extension Sequence<SQL> {
    /// The fragments one after another, `separator` between each two.
    public func joined(separator: SQL) -> SQL {
        SQL(trusted: map(\.text).joined(separator: separator.text))
    }
}
