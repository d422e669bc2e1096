/// A duration as written in the configuration: `30s`, `5min`, `2h`, `7d`, `2w` (also `500ms`).
public struct ConfigDuration: Hashable, Sendable, CustomStringConvertible {
    /// The length in milliseconds.
    public let milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

    public var seconds: Double { Double(milliseconds) / 1000 }
    public var duration: Duration { .milliseconds(milliseconds) }

    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("min", 60_000), ("s", 1000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
    ]

    /// Parses `30s`, `5min`, `2h`, `7d`, `2w` or `500ms`; the number is a positive whole number.
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace
        for unit in Self.units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = Int64(number), value > 0,
                value < Int64.max / unit.milliseconds
            else { return nil }
            self.milliseconds = value * unit.milliseconds
            return
        }
        return nil
    }

    public var description: String {
        for unit in Self.units.sorted(by: { $0.milliseconds > $1.milliseconds })
        where unit.milliseconds > 1 && milliseconds % unit.milliseconds == 0 {
            return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
        }
        return "\(milliseconds)ms"
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
