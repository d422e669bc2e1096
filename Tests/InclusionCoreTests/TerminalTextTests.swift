import InclusionCore
import Testing

@Suite("Terminal text")
struct TerminalTextTests {
    @Test(
        "characters that act on a terminal are shown as visible escapes",
        arguments: [
            ("\u{1B}]0;pwned\u{07}\u{1B}[2J", #"\x1b]0;pwned\x07\x1b[2J"#),
            ("Evil\nA999  FAKE", #"Evil\nA999  FAKE"#),
            ("over\rwrite", #"over\rwrite"#),
            ("tab\there", #"tab\there"#),
            ("nul\u{0}del\u{7F}", #"nul\x00del\x7f"#),
            ("c1 \u{9B}2J and \u{85}", #"c1 \u009b2J and \u0085"#),
            ("abc\u{202E}fed\u{202C}", #"abc\u202efed\u202c"#),
            ("\u{2066}isolate\u{2069} \u{202A}\u{202B}\u{202D}", #"\u2066isolate\u2069 \u202a\u202b\u202d"#),
            ("line\u{2028}sep\u{2029}", #"line\u2028sep\u2029"#),
        ]
    )
    func controlsAreEscaped(text: String, shown: String) {
        #expect(TerminalText.escaped(text) == shown)
        #expect(!TerminalText.escaped(text).unicodeScalars.contains(where: TerminalText.needsEscape))
    }

    @Test(
        "ordinary text, right-to-left text and marks print unchanged",
        arguments: [
            "Zoë O'Brien-Nowak", "\u{200F}مرحبا\u{200E} Ali", "👩🏽‍🏫 good week 🎉", #"back\slash and "quotes""#,
            "e\u{301}cole", "",
        ]
    )
    func ordinaryTextIsUnchanged(text: String) {
        #expect(TerminalText.escaped(text) == text)
    }

    @Test("keeping line breaks keeps LF and CRLF as one break and still escapes a lone CR and ESC")
    func keepingLineBreaks() {
        let note = "first line\r\nsecond\nthird\rfake\u{1B}[1A"
        #expect(TerminalText.escaped(note, lineBreaks: .keep) == "first line\nsecond\nthird\\rfake\\x1b[1A")
        #expect(TerminalText.escaped(note) == #"first line\r\nsecond\nthird\rfake\x1b[1A"#)
    }
}
