import InclusionCore
import Testing

@Suite("Login names and URNs")
struct LoginNameTests {
    @Test("a login of up to 63 bytes is kept as given")
    func shortLoginsAreKept() throws {
        let longest = String(repeating: "a", count: 63)
        #expect(try LoginName.validate(longest, field: "login") == longest)
        #expect(try LoginName.validate("t_cli_sam.o-brien", field: "login") == "t_cli_sam.o-brien")
    }

    @Test("a login PostgreSQL would cut short is refused, counting bytes rather than characters")
    func longLoginsAreRefused() {
        for text in [String(repeating: "a", count: 64), String(repeating: "é", count: 32)] {
            let error = #expect(throws: ValidationError.self) { try LoginName.validate(text, field: "key-worker") }
            #expect(error?.field == "key-worker")
            #expect(error?.message.hasPrefix("is too long (64 bytes; PostgreSQL keeps at most 63") == true)
        }
    }

    @Test("pg_ names, control characters and empty names are refused", arguments: ["pg_evil", "PG_x", "a\nb", ""])
    func reservedAndControlNamesAreRefused(text: String) {
        let error = #expect(throws: ValidationError.self) { try LoginName.validate(text, field: "login") }
        #expect(error?.field == "login")
        #expect(error?.message.contains(text) == false || text.isEmpty)
    }

    @Test("a URN is six digits", arguments: [0, 99_999, 1_000_000, 1_234_567_890_123, -100_001])
    func urnsOutOfRangeAreRefused(value: Int) {
        let error = #expect(throws: ValidationError.self) { try SchoolURN.validate(value, field: "school") }
        #expect(error?.description == "school: a URN is 6 digits (100000 to 999999); check the number")
    }

    @Test("six-digit URNs pass")
    func sixDigitURNsPass() throws {
        #expect(try SchoolURN.validate(100_001, field: "urn") == 100_001)
        #expect(try SchoolURN.validate(999_999, field: "urn") == 999_999)
    }
}
