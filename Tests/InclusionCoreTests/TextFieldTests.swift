import InclusionCore
import Testing

@Suite("Text fields")
struct TextFieldTests {
    @Test(
        "awkward text comes back exactly as given",
        arguments: [
            "O'Brien-Smith", #"He said "no" \ then left"#, "\u{200F}مرحبا\u{200E} Ali", "👩🏽‍🏫 good week 🎉",
            "  padded  ", "line one\r\nline two\n", "e\u{301}cole vs \u{E9}cole", "Robert'); DROP TABLE pupil;--",
            "%s %n {{x}}",
            String(repeating: "x", count: 10_000),
        ]
    )
    func textRoundTripsUnchanged(text: String) throws {
        let stored = try TextField.validate(text, field: "text", maxLength: 10_000)
        #expect(stored == text)
        #expect(Array(stored.unicodeScalars) == Array(text.unicodeScalars))
    }

    @Test("a NUL character is rejected, wherever it is")
    func nulIsRejected() {
        for text in ["\u{0}", "abc\u{0}", "\u{0}abc", "a\u{0}b"] {
            let error = #expect(throws: ValidationError.self) {
                try TextField.validate(text, field: "text", maxLength: 100, allowEmpty: true)
            }
            #expect(error?.description.hasPrefix("text: contains a NUL byte") == true)
        }
    }

    @Test("length is counted in Unicode scalars")
    func lengthCountsScalars() throws {
        // "é" as e + combining accent is one Character but two scalars.
        let decomposed = "e\u{301}"
        #expect(throws: ValidationError.self) { try TextField.validate(decomposed, field: "name", maxLength: 1) }
        #expect(try TextField.validate("\u{E9}", field: "name", maxLength: 1) == "\u{E9}")
        #expect(try TextField.validate(String(repeating: "a", count: 100), field: "name", maxLength: 100).count == 100)
        let error = #expect(throws: ValidationError.self) {
            try TextField.validate(String(repeating: "a", count: 101), field: "name", maxLength: 100)
        }
        #expect(error?.description == "name: is too long (101 characters; at most 100 are allowed); shorten it")
    }

    @Test("empty or whitespace-only text is rejected unless allowed")
    func emptyTextNeedsPermission() throws {
        for text in ["", " ", "\n\t ", "\u{3000}"] {
            let error = #expect(throws: ValidationError.self) {
                try TextField.validate(text, field: "summary", maxLength: 10)
            }
            #expect(error?.description == "summary: is empty; give some text")
            #expect(try TextField.validate(text, field: "summary", maxLength: 10, allowEmpty: true) == text)
        }
    }
}
