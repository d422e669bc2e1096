/// Text made safe to print on a terminal: the one place that decides how stored text (a pupil's name, a case note)
/// is shown in `inclusionctl`'s text and table output.
///
/// Text is stored exactly as given (see ``TextField``), so a name can hold an escape sequence that would clear a
/// SENCO's screen, set the terminal's title, or start a new line that looks like another table row, and a
/// bidirectional override can make a row read backwards. Every such character is shown visibly instead:
///
/// - C0 controls and DEL as `\xNN` (two lower-case hex digits), e.g. ESC as `\x1b`; line feed, carriage return and
///   tab by their usual names, `\n`, `\r` and `\t`;
/// - C1 controls (U+0080…U+009F), the bidirectional embeddings, overrides and isolates (U+202A…U+202E,
///   U+2066…U+2069) and the Unicode line and paragraph separators (U+2028, U+2029) as `\uXXXX`, e.g. `\u202e`.
///
/// Everything else, including right-to-left text, marks (U+200E, U+200F), emoji and backslashes, is printed as it
/// is. A backslash is not doubled, so `\x1b` typed literally and an escaped ESC look alike: the aim is that nothing
/// stored can act on the terminal or fake a line, not a reversible encoding (JSON output is that).
public enum TerminalText {
    /// What to do with line breaks.
    public enum LineBreaks: Sendable {
        /// Show them as `\n` and `\r`: the text stays on one line (table cells, one-line fields).
        case escape
        /// Keep line feeds (a CRLF counts as one) so that a multi-line note reads as written; a lone carriage
        /// return, which would let a line overwrite itself, is still shown as `\r`. The caller indents the lines
        /// after the first, so that none can pass for a line of its own.
        case keep
    }

    /// `text` with every character that could act on a terminal replaced by a visible escape.
    public static func escaped(_ text: String, lineBreaks: LineBreaks = .escape) -> String {
        // The usual text has nothing to escape: return it without copying.
        guard text.unicodeScalars.contains(where: needsEscape) else {
            return text
        }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if lineBreaks == .keep {
                if scalar == "\n" {
                    result.unicodeScalars.append(scalar)
                    continue
                }
                if scalar == "\r", index < scalars.count, scalars[index] == "\n" {
                    result.unicodeScalars.append("\n")
                    index += 1
                    continue
                }
            }
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += escape(scalar)
        }
        return result
    }

    /// True for a character that ``escaped(_:lineBreaks:)`` shows as an escape.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028...0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16)
            if scalar.value < 0x80 {
                return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            }
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
