/// An amount of money in pounds sterling, held exactly as a whole number of pence.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in pence.
    public let pence: Int

    /// An amount of `pence` pence.
    public init(pence: Int) {
        self.pence = pence
    }

    /// The largest amount ``parse(_:field:)`` accepts, £1,000,000.00: far above any cost this project records, and
    /// well inside the whole pence a PostgreSQL `integer` column holds (£21,474,836.47).
    public static let maximum = Money(pence: 100_000_000)

    /// Parses pounds as typed for `--cost-per-session`: `12.50`, `12.5`, `12` or `£12.50`. Surrounding whitespace
    /// is ignored.
    ///
    /// - Throws: a ``ValidationError`` for `field` for a negative amount, more than two decimal places, an amount
    ///   above ``maximum``, or anything that is not an amount of pounds.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> Money {
        let form = "write pounds and pence as digits, e.g. 12.50 or £12.50"
        var rest = Substring(text.trimmingWhitespace())
        if rest.first == "£" {
            rest = rest.dropFirst()
        }
        if rest.first == "-" {
            throw ValidationError(field: field, message: "cannot be negative; \(form)")
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let poundsText = parts.first, isDigits(poundsText), poundsText.count <= 12 else {
            throw ValidationError(field: field, message: "is not an amount of money; \(form)")
        }
        var pence = Int(poundsText)! * 100
        if parts.count == 2 {
            let penceText = parts[1]
            guard isDigits(penceText) else {
                throw ValidationError(field: field, message: "is not an amount of money; \(form)")
            }
            guard penceText.count <= 2 else {
                throw ValidationError(field: field, message: "has more than two decimal places; \(form)")
            }
            pence += Int(penceText)! * (penceText.count == 1 ? 10 : 1)
        }
        guard pence <= maximum.pence else {
            throw ValidationError(field: field, message: "is more than \(maximum), the most an amount may be; check it")
        }
        return Money(pence: pence)
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The amount in pounds, e.g. `£12.50`.
    public var description: String {
        let sign = pence < 0 ? "-" : ""
        let magnitude = pence.magnitude
        let penceText = magnitude % 100 < 10 ? "0\(magnitude % 100)" : "\(magnitude % 100)"
        return "\(sign)£\(magnitude / 100).\(penceText)"
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.pence < rhs.pence
    }
}

extension Money: Codable {
    /// Decodes a whole number of pence.
    public init(from decoder: any Decoder) throws {
        self.pence = try decoder.singleValueContainer().decode(Int.self)
    }

    /// Encodes a whole number of pence.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pence)
    }
}
