import Foundation
import InclusionCore
import Testing

@Suite("UPN")
struct UPNTests {
    /// Check letters worked out by hand from the DfE rule (sum of value × position for positions 2–13, mod 23, into
    /// ABCDEFGHJKLMNPQRTUVWXYZ), e.g. for 123456789012: 1·2 + 2·3 + … + 9·10 + 0·11 + 1·12 + 2·13 = 368 = 16 · 23,
    /// remainder 0, letter A; for 801234567890 the sum is 436 = 18 · 23 + 22, letter Z.
    static let permanent = ["A123456789012", "P000000000001", "N000000000010", "Z801234567890", "F999999999999"]
    /// Temporary UPNs: 12345678901 sums to 342; B (1) adds 13 → 355 = 15 · 23 + 10 → L; Z (22) adds 286 → 628 =
    /// 27 · 23 + 7 → H.
    static let temporary = ["L12345678901B", "H12345678901Z", "A00000000000A"]

    static let allowedCharacters = Array("0123456789ABCDEFGHJKLMNPQRTUVWXYZ")

    @Test("a UPN whose check letter matches is accepted as permanent", arguments: permanent)
    func permanentUPNIsAccepted(text: String) throws {
        let upn = try UPN(text)
        #expect(upn.text == text)
        #expect(upn.description == text)
        #expect(!upn.isTemporary)
    }

    @Test("a UPN ending in a letter is accepted as temporary", arguments: temporary)
    func temporaryUPNIsAccepted(text: String) throws {
        let upn = try UPN(text)
        #expect(upn.isTemporary)
    }

    @Test("the check letter is computed from the 12 characters after it", arguments: permanent + temporary)
    func checkLetterMatchesHandWorkedValue(text: String) {
        #expect(UPN.checkLetter(for: text.dropFirst()) == text.first)
    }

    @Test(
        "checkLetter rejects bodies of the wrong shape",
        arguments: ["12345678901", "1234567890123", "1234567890A2", "12345678901I", "12345678901-", ""]
    )
    func checkLetterRejectsMalformedBody(body: String) {
        #expect(UPN.checkLetter(for: body) == nil)
    }

    @Test("lower case and surrounding whitespace are accepted and normalised")
    func lowerCaseAndWhitespaceAreNormalised() throws {
        #expect(try UPN("  a123456789012\n").text == "A123456789012")
        #expect(try UPN("l12345678901b").text == "L12345678901B")
    }

    @Test("a wrong check letter is rejected with a message about the check letter")
    func wrongCheckLetterIsRejected() {
        let error = #expect(throws: ValidationError.self) { try UPN("B123456789012") }
        #expect(error?.field == "upn")
        #expect(error?.message.hasPrefix("the check letter does not match the rest of the UPN") == true)
    }

    /// Every single-character substitution of a valid UPN is rejected, except one documented blind spot.
    ///
    /// Why: a substitution at position p changes the sum by p × (new − old). 23 is prime and both factors are
    /// between 1 and 22 in size, so the product is never a multiple of 23 and the check letter always changes —
    /// unless new − old is 0. That happens only at position 13, where a digit d and the letter with alphabet index d
    /// (0 ↔ A, 1 ↔ B, … 9 ↔ K) have the same value: swapping one for the other turns a permanent UPN into a valid
    /// temporary one (or back) with the same check letter. Every other corruption must be rejected.
    @Test("every single-character corruption is rejected except digit ↔ letter of equal value at position 13")
    func singleCharacterCorruptionsAreRejected() {
        let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
        for valid in Self.permanent + Self.temporary {
            let original = Array(valid)
            var accepted: Set<String> = []
            var tried = 0
            for position in original.indices {
                for replacement in Self.allowedCharacters where replacement != original[position] {
                    var corrupted = original
                    corrupted[position] = replacement
                    tried += 1
                    if (try? UPN(String(corrupted))) != nil {
                        accepted.insert(String(corrupted))
                    }
                }
            }
            // The predicted blind spot: position 13 swapped between digit d and alphabet[d].
            let last = original[12]
            let twin: Character? =
                if let digit = last.wholeNumberValue {
                    alphabet[digit]
                } else if let index = alphabet.firstIndex(of: last), index <= 9 {
                    Character(String(index))
                } else {
                    nil
                }
            let expected: Set<String> = twin.map { [String(original.dropLast()) + String($0)] } ?? []
            #expect(tried == 13 * 32)
            #expect(accepted == expected, "UPN \(valid)")
        }
    }

    @Test(
        "a UPN of the wrong length is rejected with its length",
        arguments: [
            ("A12345678901", "has 12 characters"), ("A1234567890123", "has 14 characters"), ("", "is empty"),
            ("   ", "is empty"),
        ]
    )
    func wrongLengthIsRejected(text: String, start: String) {
        let error = #expect(throws: ValidationError.self) { try UPN(text) }
        #expect(error?.message.hasPrefix(start) == true)
        #expect(error?.message.contains("e.g. A123456789012") == true)
    }

    @Test(
        "I, O, S, punctuation, spaces and non-ASCII are not allowed",
        arguments: [
            "I123456789012", "A12345678901O", "A12345678901S", "A1234-6789012", "A12345 789012", "É123456789012",
            "A12345678901é", "A1234５6789012",
        ]
    )
    func disallowedCharacterIsRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try UPN(text) }
        #expect(error?.message.contains("is not allowed") == true)
    }

    @Test("letters in positions 2 to 12 are rejected as non-digits", arguments: ["AA23456789012", "A123456789X1B"])
    func letterInDigitPositionsIsRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try UPN(text) }
        #expect(error?.message.hasPrefix("characters 2 to 12 must be digits") == true)
    }

    @Test("a UPN starting with a digit is rejected")
    func digitFirstIsRejected() {
        let error = #expect(throws: ValidationError.self) { try UPN("1123456789012") }
        #expect(error?.message.hasPrefix("must start with its check letter") == true)
    }

    @Test("error messages never contain the UPN that was given")
    func messagesDoNotEchoTheValue() {
        for text in ["B801234567890", "Z80123456789", "Z80123456789S", "ZZ01234567890"] {
            let error = #expect(throws: ValidationError.self) { try UPN(text) }
            #expect(error.map { !$0.description.contains(text.dropFirst(2)) } == true)
        }
    }

    @Test("a UPN encodes as its text and decoding validates it")
    func codableRoundTripsAndValidates() throws {
        let upn = try UPN("Z801234567890")
        let data = try JSONEncoder().encode([upn])
        #expect(String(decoding: data, as: UTF8.self) == #"["Z801234567890"]"#)
        #expect(try JSONDecoder().decode([UPN].self, from: data) == [upn])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([UPN].self, from: Data(#"["B801234567890"]"#.utf8))
        }
    }
}
