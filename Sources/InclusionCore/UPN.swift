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
        // Work on ASCII bytes: every allowed character is ASCII, and this runs once per row of a large import.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(13)
        for (offset, scalar) in text.trimmingWhitespace().unicodeScalars.enumerated() {
            guard scalar.isASCII, let (_, isDigit) = UPN.value(of: UInt8(scalar.value)) else {
                throw UPN.invalid(
                    "character \(offset + 1) is not allowed: a UPN has only digits and the letters A to Z without I, "
                        + "O and S (no spaces, punctuation or accented letters)"
                )
            }
            let byte = UInt8(scalar.value)
            bytes.append(isDigit || byte < UInt8(ascii: "a") ? byte : byte - 32)
        }
        guard bytes.count == 13 else {
            let count = bytes.isEmpty ? "is empty" : "has \(bytes.count) characters"
            throw UPN.invalid("\(count); a UPN has \(UPN.example)")
        }
        guard !UPN.value(of: bytes[0])!.isDigit else {
            throw UPN.invalid("must start with its check letter; a UPN has \(UPN.example)")
        }
        guard bytes[1...11].allSatisfy({ UPN.value(of: $0)!.isDigit }) else {
            throw UPN.invalid(
                "characters 2 to 12 must be digits (only character 13 may be a letter, in a temporary UPN); "
                    + "a UPN has \(UPN.example)"
            )
        }
        guard UPN.checkLetterByte(for: bytes[1...]) == bytes[0] else {
            throw UPN.invalid(
                "the check letter does not match the rest of the UPN; check each character was copied correctly "
                    + "(\(UPN.example))"
            )
        }
        self.text = String(decoding: bytes, as: UTF8.self)
    }

    /// True for a temporary UPN, whose last character is a letter.
    public var isTemporary: Bool { text.last?.isLetter ?? false }

    /// The check letter for the 12 characters after it (11 digits, then a digit or an allowed letter; lower case
    /// is accepted), or nil when `body` does not have that shape.
    public static func checkLetter(for body: some StringProtocol) -> Character? {
        checkLetterByte(for: Array(body.utf8)).map { Character(Unicode.Scalar($0)) }
    }

    /// A character's value in the check sum and whether it is a digit, for an ASCII byte that may appear in a
    /// UPN (either case); nil for any other byte.
    private static func value(of byte: UInt8) -> (value: Int, isDigit: Bool)? {
        if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            return (Int(byte - UInt8(ascii: "0")), true)
        }
        let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
        guard let index = alphabetBytes.firstIndex(of: upper) else {
            return nil
        }
        return (index, false)
    }

    private static let alphabetBytes: [UInt8] = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    private static func checkLetterByte(for body: some Collection<UInt8>) -> UInt8? {
        guard body.count == 12 else {
            return nil
        }
        var sum = 0
        for (offset, byte) in body.enumerated() {
            guard let (value, isDigit) = value(of: byte), isDigit || offset == 11 else {
                return nil
            }
            sum += value * (offset + 2)
        }
        return alphabetBytes[sum % 23]
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
