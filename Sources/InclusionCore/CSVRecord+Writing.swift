extension CSVRecord {
    /// `fields` as one RFC 4180 record ending in CRLF, for `--format csv` output: a field holding a comma, a double
    /// quote, a line break (or any control character) or leading or trailing spaces is wrapped in double quotes with
    /// each quote doubled, so that no stored text can end a field or a row early. The text itself is not changed:
    /// ``CSVRecordReader`` reads the same fields back.
    public static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when it needs to be.
    public static func quoted(_ field: String) -> String {
        let needsQuotes =
            field.unicodeScalars.contains { $0 == "," || $0 == "\"" || TerminalText.needsEscape($0) }
            || field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard needsQuotes else {
            return field
        }
        var result = "\""
        for character in field {
            result.append(character)
            if character == "\"" { result.append("\"") }
        }
        return result + "\""
    }
}
