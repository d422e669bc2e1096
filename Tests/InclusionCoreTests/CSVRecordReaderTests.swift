import InclusionCore
import Testing

@Suite("CSV record reader")
struct CSVRecordReaderTests {
    /// Reads `chunks` in order, as an importer reading a file in blocks would.
    private func read(_ chunks: [[UInt8]], maxRecordBytes: Int = 1 << 20) throws -> [CSVRecord] {
        var reader = CSVRecordReader(maxRecordBytes: maxRecordBytes)
        var records: [CSVRecord] = []
        for chunk in chunks {
            records += reader.feed(chunk)
        }
        return records + (try reader.finish())
    }

    private func read(_ text: String) throws -> [CSVRecord] {
        try read([Array(text.utf8)])
    }

    /// The same input read whole, byte by byte, and split in two at every position must give the same records.
    private func expectSameForEverySplit(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [CSVRecord]
    {
        let whole = try read([bytes])
        #expect(try read(bytes.map { [$0] }) == whole, "byte by byte", sourceLocation: sourceLocation)
        for split in 0...bytes.count {
            let parts = [Array(bytes[..<split]), Array(bytes[split...])]
            #expect(try read(parts) == whole, "split at \(split)", sourceLocation: sourceLocation)
        }
        return whole
    }

    private func record(_ fields: [String], line: Int, problem: CSVRecord.Problem? = nil) -> CSVRecord {
        CSVRecord(fields: fields, line: line, problem: problem)
    }

    @Test("plain records with LF line ends")
    func plainRecords() throws {
        #expect(try read("a,b,c\n1,2,3\n") == [record(["a", "b", "c"], line: 1), record(["1", "2", "3"], line: 2)])
    }

    @Test("the last record needs no line break")
    func lastRecordWithoutLineBreak() throws {
        #expect(try read("a,b\n1,2") == [record(["a", "b"], line: 1), record(["1", "2"], line: 2)])
    }

    @Test("CRLF line ends, bare CR line ends and a mix give the same records")
    func lineEndings() throws {
        let expected = [record(["a", "b"], line: 1), record(["1", "2"], line: 2), record(["3", "4"], line: 3)]
        #expect(try read("a,b\r\n1,2\r\n3,4\r\n") == expected)
        #expect(try read("a,b\r1,2\r3,4") == expected)
        #expect(try read("a,b\r\n1,2\n3,4\r") == expected)
    }

    @Test("empty fields are kept, including a trailing one")
    func emptyFields() throws {
        #expect(try read(",a,,\n") == [record(["", "a", "", ""], line: 1)])
        #expect(try read("\"\"\n") == [record([""], line: 1)])
        #expect(try read(",\n") == [record(["", ""], line: 1)])
    }

    @Test("quoted fields hold commas, doubled quotes and line breaks exactly")
    func quotedFields() throws {
        let text = "name,note\n\"Smith, Jo\",\"said \"\"hi\"\"\"\n\"x\",\"two\r\nlines\"\n"
        #expect(
            try read(text) == [
                record(["name", "note"], line: 1), record(["Smith, Jo", "said \"hi\""], line: 2),
                record(["x", "two\r\nlines"], line: 3),
            ]
        )
    }

    @Test("a quoted field spanning lines moves the next record's line number on")
    func lineNumbersCountPhysicalLines() throws {
        let text = "h1,h2\nA,\"one\ntwo\nthree\"\nB,x\r\nC,\"a\r\nb\"\r\nD,y\n"
        let records = try read(text)
        #expect(records.map(\.line) == [1, 2, 5, 6, 8])
        #expect(records[1].fields == ["A", "one\ntwo\nthree"])
        #expect(records[3].fields == ["C", "a\r\nb"])
    }

    @Test("blank lines are skipped but counted")
    func blankLinesAreCounted() throws {
        let records = try read("h\n\n1\r\n\r\n\r\n2\n\n")
        #expect(records == [record(["h"], line: 1), record(["1"], line: 3), record(["2"], line: 6)])
        #expect(try read("\n\nh\n") == [record(["h"], line: 3)])
        #expect(try read("") == [])
        #expect(try read("\n\r\n") == [])
    }

    @Test("a byte order mark at the start is skipped, elsewhere it is data")
    func byteOrderMark() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(
            try read([bom + Array("upn,x\n1,2\n".utf8)]) == [
                record(["upn", "x"], line: 1), record(["1", "2"], line: 2),
            ]
        )
        #expect(try read([bom]) == [])
        #expect(try read([Array("a,".utf8) + bom]) == [record(["a", "\u{FEFF}"], line: 1)])
        // A file that merely starts like a BOM keeps its bytes (here invalid UTF-8, so reported).
        #expect(try read([[0xEF, 0xBB]]) == [record(["\u{FFFD}"], line: 1, problem: .invalidUTF8(fieldIndex: 0))])
    }

    @Test("any chunking gives the same records: splits inside quotes, CRLF, a BOM and multi-byte characters")
    func chunkingDoesNotMatter() throws {
        let text =
            "upn,given_name,note\r\nA123456789012,Zoë,\"said \"\"ça va\"\",\r\nthen left\"\r\n\r\n"
            + "B1,Øystein 👩🏽‍🏫,\"\"\r\n"
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let records = try expectSameForEverySplit(bytes)
        #expect(
            records == [
                record(["upn", "given_name", "note"], line: 1),
                record(["A123456789012", "Zoë", "said \"ça va\",\r\nthen left"], line: 2),
                record(["B1", "Øystein 👩🏽‍🏫", ""], line: 5),
            ]
        )
    }

    @Test("invalid UTF-8 marks the record and names the field; other records are unaffected")
    func invalidUTF8IsReported() throws {
        // 0xE9 is "é" in Latin-1 / Windows-1252, as an MIS export not saved as UTF-8 would have it.
        let bytes = Array("h1,h2\nok,fine\n".utf8) + [0x5A, 0x6F, 0xE9, 0x2C, 0x78, 0x0A] + Array("a,b\n".utf8)
        let records = try expectSameForEverySplit(bytes)
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records[1].problem == nil)
        #expect(records[2].problem == .invalidUTF8(fieldIndex: 0))
        #expect(records[2].fields == ["Zo\u{FFFD}", "x"])
        #expect(records[3].problem == nil)
        let error = try #require(records[2].problemError(columnNames: ["given_name", "family_name"]))
        #expect(error.description.hasPrefix("given_name: is not valid UTF-8 text; save the file as UTF-8"))
        #expect(error.line == 3)
        #expect(records[2].problemError()?.field == "column 1")
    }

    @Test("a split multi-byte character is not mistaken for invalid UTF-8")
    func splitMultiByteCharacter() throws {
        let bytes = Array("é,👩🏽‍🏫\n".utf8)
        var reader = CSVRecordReader()
        var records: [CSVRecord] = []
        for byte in bytes {
            records += reader.feed(CollectionOfOne(byte))
        }
        #expect(records == [record(["é", "👩🏽‍🏫"], line: 1)])
    }

    @Test("an unterminated quote is an error naming the line where the quote opened")
    func unterminatedQuoteIsAnError() {
        var reader = CSVRecordReader()
        let records = reader.feed(Array("h1,h2\na,b\nc,\"never\nclosed\nat all\n".utf8))
        #expect(records.map(\.line) == [1, 2])
        let error = #expect(throws: ValidationError.self) { try reader.finish() }
        #expect(error?.line == 3)
        #expect(error?.field == "file")
        #expect(
            error?.message.hasPrefix("a quoted field starts on this line and its closing double quote is missing")
                == true
        )
        // The quote may open on a later line of a record than the record's first line.
        let later = #expect(throws: ValidationError.self) { try read("a,\"x\ny\",\"z\n") }
        #expect(later?.line == 2)
    }

    @Test("text after a closing quote is kept but reported")
    func textAfterClosingQuote() throws {
        let records = try read("a,\"b\"c,d\n")
        #expect(records == [record(["a", "bc", "d"], line: 1, problem: .textAfterClosingQuote(fieldIndex: 1))])
    }

    @Test("a quote inside an unquoted field is kept as text")
    func quoteInsideUnquotedField() throws {
        #expect(try read("5'10\",b\n") == [record(["5'10\"", "b"], line: 1)])
    }

    @Test("a record over the size limit is reported and truncated, keeping memory bounded")
    func oversizedRecordIsReported() throws {
        let records = try read([Array("abcdefghij,klm\nok\n".utf8)], maxRecordBytes: 8)
        #expect(records.count == 2)
        #expect(records[0].problem == .tooLong(limit: 8))
        #expect(records[0].fields == ["abcdefgh", ""])
        #expect(records[1] == record(["ok"], line: 2))
    }

    @Test("the reader can be reused after finish")
    func reusableAfterFinish() throws {
        var reader = CSVRecordReader()
        _ = reader.feed(Array("a\nb".utf8))
        _ = try reader.finish()
        #expect(reader.feed(Array("c\n".utf8)) == [record(["c"], line: 1)])
    }

    @Test("a large file streams with every line number right")
    func largeFileLineNumbers() throws {
        var reader = CSVRecordReader()
        var count = 0
        var wrong = 0
        for row in 1...50_000 {
            let text = row.isMultiple(of: 10) ? "\(row),\"multi\nline\"\n" : "\(row),x\n"
            for record in reader.feed(Array(text.utf8)) {
                count += 1
                // Every tenth row takes two physical lines, so row r starts on line r + (r - 1) / 10.
                let row = Int(record.fields[0])!
                if record.line != row + (row - 1) / 10 {
                    wrong += 1
                }
            }
        }
        #expect(try reader.finish().isEmpty)
        #expect(count == 50_000)
        #expect(wrong == 0)
    }
}
