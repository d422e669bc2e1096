/// How often a support plan is reviewed: `termly`, every N calendar months (`6m`), or every N weeks (`4w`).
public enum ReviewCycle: Hashable, Sendable {
    /// At the end of the first term that ends at least six weeks after the plan started or was last reviewed.
    case termly
    /// Every N calendar months, 1 … 24.
    case months(Int)
    /// Every N weeks, 1 … 52.
    case weeks(Int)

    /// The shortest time a termly review leaves for the plan to work before it is reviewed (DESIGN §4).
    public static let minimumTermlyInterval = 42

    /// Parses `termly`, `Nm` (N = 1 … 24) or `Nw` (N = 1 … 52); case and surrounding whitespace are ignored.
    ///
    /// - Throws: a ``ValidationError`` for `field` that explains the three forms.
    public static func parse(_ text: String, field: String) throws(ValidationError) -> ReviewCycle {
        let forms = "use termly, Nm for every N months (1 to 24, e.g. 6m) or Nw for every N weeks (1 to 52, e.g. 4w)"
        let wanted = text.trimmingWhitespace().lowercased()
        if wanted == "termly" {
            return .termly
        }
        guard let unit = wanted.last, unit == "m" || unit == "w", wanted.count >= 2, wanted.count <= 3,
            wanted.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(wanted.dropLast())
        else {
            throw ValidationError(field: field, message: "is not a review cycle; \(forms)")
        }
        if unit == "m" {
            guard (1...24).contains(count) else {
                throw ValidationError(field: field, message: "a cycle in months must be 1 to 24 months; \(forms)")
            }
            return .months(count)
        }
        guard (1...52).contains(count) else {
            throw ValidationError(field: field, message: "a cycle in weeks must be 1 to 52 weeks; \(forms)")
        }
        return .weeks(count)
    }

    /// The day the next review is due, given the day the plan started or was last reviewed.
    ///
    /// Months and weeks are calendar arithmetic (a month from 31 January is the end of February). A termly review
    /// is due on the last day of the first term in `terms` that ends at least ``minimumTermlyInterval`` days after
    /// `reviewedOrStarted`, so a plan written late in a term gets the following term to work. When the school has
    /// no term recorded that far ahead, the review falls due three months on: a term is about three months long,
    /// so that is the nearest honest guess, and the school is separately warned that its term dates are missing.
    public func nextDue(after reviewedOrStarted: Day, terms: [TermDates]) -> Day {
        switch self {
        case .months(let count):
            return reviewedOrStarted.adding(months: count)
        case .weeks(let count):
            return reviewedOrStarted.adding(weeks: count)
        case .termly:
            let earliest = reviewedOrStarted.adding(days: ReviewCycle.minimumTermlyInterval)
            let ends = terms.map(\.last).filter { $0 >= earliest }
            return ends.min() ?? reviewedOrStarted.adding(months: 3)
        }
    }
}

extension ReviewCycle: CustomStringConvertible {
    /// The written form that ``parse(_:field:)`` reads: `termly`, `6m`, `4w`.
    public var description: String {
        switch self {
        case .termly: "termly"
        case .months(let count): "\(count)m"
        case .weeks(let count): "\(count)w"
        }
    }
}

extension ReviewCycle: Codable {
    /// Decodes the written form, e.g. `"termly"` or `"6m"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ReviewCycle.parse(text, field: "review_every")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the written form, e.g. `"termly"` or `"6m"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
