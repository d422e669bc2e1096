import InclusionCore
import Testing

@Suite("CSV writing")
struct CSVWritingTests {
    @Test("fields that could end a field or a row early are quoted, and read back unchanged")
    func hostileFieldsRoundTrip() throws {
        let fields = [
            "plain", "Smith, Jo", #"say "hi""#, "two\nlines", "cr\ronly", "crlf\r\n", " padded ", "",
            "\u{1B}[2J", "Zoë", "\u{202E}rtl",
        ]
        let line = CSVRecord.line(fields)
        #expect(line.hasPrefix(#"plain,"Smith, Jo","say ""hi""","two"#))
        #expect(line.hasSuffix("\r\n"))
        var reader = CSVRecordReader()
        let records = reader.feed(Array((line + CSVRecord.line(["next", "row"])).utf8)) + (try reader.finish())
        #expect(records.map(\.fields) == [fields, ["next", "row"]])
        #expect(records.map(\.line) == [1, 5])
    }
}
