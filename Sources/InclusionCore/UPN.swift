/// A Unique Pupil Number: the 13-character identifier the DfE gives every pupil in England.
///
/// Character 1 is a check letter; characters 2–12 are digits; character 13 is a digit, or a letter for a temporary
/// UPN. The check letter is computed from characters 2–13: each character's value times its position (2 … 13),
/// summed, modulo 23, indexes the 23-letter alphabet `ABCDEFGHJKLMNPQRTUVWXYZ` (no I, O or S). A digit's value is
/// the digit; a letter's value is its index in that alphabet.
///
/// Because 23 is prime and every weight and every difference of two digits is below it, changing any one digit
/// always changes the check letter. The only single-character changes the check cannot see are at character 13
/// between a digit d and the letter whose alphabet index is d (0 ↔ A … 9 ↔ K), which have equal values.
public struct UPN: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 13 characters, upper case.
    public let text: String

    /// The 23 letters used for check letters and temporary UPNs, in value order (A = 0 … Z = 22).
    public static let alphabet: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    private static let example = "13 characters: a check letter then 12 more, e.g. A123456789012"

    /// Validates a UPN. Lower-case letters are accepted and stored in upper case; surrounding whitespace is ignored.
    ///
    /// - Throws: a ``ValidationError`` for field `upn` naming the problem: wrong length, a character that is not
    ///   allowed, a letter where digits belong, or a check letter that does not match.
    public init(_ text: String) throws(ValidationError) {
        let scalars = Array(text.trimmingWhitespace().unicodeScalars)
        var upper: [Character] = []
        for (offset, scalar) in scalars.enumerated() {
            let isLowerASCII = scalar >= "a" && scalar <= "z"
            let character = Character(isLowerASCII ? Unicode.Scalar(UInt8(scalar.value - 32)) : scalar)
            guard character.isASCII, character.isNumber || UPN.alphabet.contains(character) else {
                throw UPN.invalid(
                    "character \(offset + 1) is not allowed: a UPN has only digits and the letters A to Z without I, "
                        + "O and S (no spaces, punctuation or accented letters)"
                )
            }
            upper.append(character)
        }
        guard upper.count == 13 else {
            let count = upper.isEmpty ? "is empty" : "has \(upper.count) characters"
            throw UPN.invalid("\(count); a UPN has \(UPN.example)")
        }
        guard upper[0].isLetter else {
            throw UPN.invalid("must start with its check letter; a UPN has \(UPN.example)")
        }
        guard upper[1...11].allSatisfy(\.isNumber) else {
            throw UPN.invalid(
                "characters 2 to 12 must be digits (only character 13 may be a letter, in a temporary UPN); "
                    + "a UPN has \(UPN.example)"
            )
        }
        guard UPN.checkLetter(for: upper[1...]) == upper[0] else {
            throw UPN.invalid(
                "the check letter does not match the rest of the UPN; check each character was copied correctly "
                    + "(\(UPN.example))"
            )
        }
        self.text = String(upper)
    }

    /// True for a temporary UPN, whose last character is a letter.
    public var isTemporary: Bool { text.last!.isLetter }

    /// The check letter for the 12 characters after it (11 digits, then a digit or an allowed letter; lower case
    /// is accepted), or nil when `body` does not have that shape.
    public static func checkLetter(for body: some StringProtocol) -> Character? {
        checkLetter(for: Array(body.uppercased()))
    }

    private static func checkLetter(for body: some Collection<Character>) -> Character? {
        guard body.count == 12 else {
            return nil
        }
        var sum = 0
        for (offset, character) in body.enumerated() {
            let value: Int
            if let digit = character.wholeNumberValue, character.isASCII {
                value = digit
            } else if offset == 11, let index = alphabet.firstIndex(of: character) {
                value = index
            } else {
                return nil
            }
            sum += value * (offset + 2)
        }
        return alphabet[sum % 23]
    }

    private static func invalid(_ message: String) -> ValidationError {
        ValidationError(field: "upn", message: message)
    }

    /// The UPN's 13 characters.
    public var description: String { text }

    public static func < (lhs: UPN, rhs: UPN) -> Bool {
        lhs.text < rhs.text
    }
}

extension UPN: Codable {
    /// Decodes and validates the 13-character text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try UPN(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the 13-character text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
