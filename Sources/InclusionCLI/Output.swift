import Foundation
import InclusionCore

/// Writes a command's result: one JSON document with `--json`, readable text otherwise.
///
/// Every line of text output passes through ``TerminalText/escaped(_:lineBreaks:)`` here, so no stored text (a
/// pupil's name, a note) can act on the terminal or draw a line of its own, whichever command prints it. JSON
/// output is escaped by the encoder instead.
struct Output {
    let json: Bool

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Prints a JSON document (an object that carries `"version": 1`).
    func document<T: Encodable>(_ value: T) throws {
        let data = try Self.encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Prints `{"version": 1, "items": [...]}` or, in text mode, calls `text`.
    func list<T: Encodable>(_ items: [T], text: () -> Void) throws {
        if json { try document(ItemList(items: items)) } else { text() }
    }

    /// Prints `{"version": 1, "id": …}` or a sentence.
    func created(id: Int64, _ sentence: String) throws {
        if json { try document(Created(id: id)) } else { line(sentence) }
    }

    /// Prints `{"version": 1, "id": …, "ok": true}` or a sentence, for commands that change one thing.
    func changed(id: Int64, _ sentence: String) throws {
        if json { try document(Changed(id: id)) } else { line(sentence) }
    }

    /// Prints one line of text, with control characters shown as escapes.
    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((TerminalText.escaped(text) + "\n").utf8))
    }

    /// Prints `label` followed by free text that may run over several lines (a case note): its line breaks are
    /// kept, every other control character is escaped, and the lines after the first are indented, so that no line
    /// of the text can pass for a line of output.
    func block(_ label: String, _ text: String) {
        let lines = TerminalText.escaped(text, lineBreaks: .keep).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        var output = TerminalText.escaped(label) + (lines.first.map(String.init) ?? "") + "\n"
        for line in lines.dropFirst() {
            output += "    | " + line + "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// A warning on stderr (never in the JSON document, which stays one document on stdout).
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(TerminalText.escaped(text))\n".utf8))
    }

    /// Prints rows as aligned columns, each cell on one line with control characters escaped.
    func table(_ headers: [String], _ rows: [[String]]) {
        let rows = rows.map { $0.map { TerminalText.escaped($0) } }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        line(render(headers))
        for row in rows { line(render(row)) }
        if rows.isEmpty { line("(none)") }
    }
}

struct ItemList<T: Encodable>: Encodable {
    let version = 1
    let items: [T]
}

struct Created: Encodable {
    let version = 1
    let id: Int64
}

struct Changed: Encodable {
    let version = 1
    let id: Int64
    let ok = true
}
