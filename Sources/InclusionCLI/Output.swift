import Foundation

/// Writes a command's result: one JSON document with `--json`, readable text otherwise.
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

    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A warning on stderr (never in the JSON document, which stays one document on stdout).
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    /// Prints rows as aligned columns.
    func table(_ headers: [String], _ rows: [[String]]) {
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
