extension CSVRecord {
    /// One field of a report's CSV (`--format csv`): stored text, which a spreadsheet must never take for a formula,
    /// or a number this program wrote.
    public enum Field: Sendable, Hashable {
        /// Text from the database or the user (a name, a UPN, a date): neutralised by
        /// ``CSVRecord/neutralised(_:)`` before it is quoted.
        case text(String)
        /// An integer the program computed (an id, a count of days), written as it is: `-3` stays a number.
        case integer(Int64)
    }

    /// The first characters that make Excel, LibreOffice and Google Sheets read a cell as a formula (or, for tab
    /// and carriage return, hide one behind them): `=`, `+`, `-`, `@`, tab and carriage return.
    public static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `text` with a leading apostrophe when it starts with one of ``formulaTriggers``, so that a pupil named
    /// `=HYPERLINK(…)` is shown as text rather than run (CSV injection). Spreadsheets hide the apostrophe; a program
    /// reading the file sees it and may strip it. Other text is unchanged.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaTriggers.contains(first) else { return text }
        return "'" + text
    }

    /// `fields` as one record for a report's CSV: text neutralised against formula injection, then every field
    /// quoted as ``line(_:)`` quotes it (RFC 4180, ending in CRLF). Every report's CSV
    /// goes through here.
    public static func spreadsheetLine(_ fields: [Field]) -> String {
        line(
            fields.map { field in
                switch field {
                case .text(let text): neutralised(text)
                case .integer(let number): String(number)
                }
            }
        )
    }
}
