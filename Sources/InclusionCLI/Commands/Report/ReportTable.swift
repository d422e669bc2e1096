import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Report {
    /// A report's rows, written as a table, as CSV or as JSON from one list of columns, so that the CSV header and
    /// the JSON field names are the same words. Every report writes through here.
    struct Table {
        struct Column {
            /// The CSV column and the JSON field (snake_case).
            let name: String
            /// The table's heading.
            let heading: String
        }

        enum Value {
            /// Text: escaped in a table, neutralised against formula injection in CSV, a string in JSON.
            case text(String)
            /// A number: written as it is everywhere.
            case integer(Int64)
            /// No value: `-` in a table, an empty field in CSV, left out of JSON.
            case none
        }

        let columns: [Column]
        let rows: [[Value]]

        func write(_ format: Format, to output: Output) throws {
            switch format {
            case .table:
                output.table(
                    columns.map(\.heading),
                    rows.map { row in
                        row.map { value in
                            switch value {
                            case .text(let text): text
                            case .integer(let number): String(number)
                            case .none: "-"
                            }
                        }
                    }
                )
            case .csv:
                var text = CSVRecord.spreadsheetLine(columns.map { .text($0.name) })
                for row in rows {
                    text += CSVRecord.spreadsheetLine(
                        row.map { value in
                            switch value {
                            case .text(let text): .text(text)
                            case .integer(let number): .integer(number)
                            case .none: .text("")
                            }
                        }
                    )
                }
                FileHandle.standardOutput.write(Data(text.utf8))
            case .json:
                try Output(json: true).document(
                    ItemList(items: rows.map { JSONRow(names: columns.map(\.name), values: $0) })
                )
            }
        }

        /// One row as a JSON object keyed by the column names.
        struct JSONRow: Encodable {
            let names: [String]
            let values: [Value]

            struct Key: CodingKey {
                let stringValue: String
                init(stringValue: String) { self.stringValue = stringValue }
                var intValue: Int? { nil }
                init?(intValue: Int) { nil }
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                for (name, value) in zip(names, values) {
                    switch value {
                    case .text(let text): try container.encode(text, forKey: Key(stringValue: name))
                    case .integer(let number): try container.encode(number, forKey: Key(stringValue: name))
                    case .none: break
                    }
                }
            }
        }
    }

    /// The columns of `report overdue` and `report due`, the days column named by the report.
    static func itemTable(_ items: [ReportItem], days: (name: String, heading: String), count: (ReportItem) -> Int)
        -> Table
    {
        Table(
            columns: [
                .init(name: "kind", heading: "KIND"), .init(name: "school_urn", heading: "SCHOOL"),
                .init(name: "upn", heading: "UPN"), .init(name: "pupil_name", heading: "PUPIL"),
                .init(name: "subject", heading: "SUBJECT"), .init(name: "due_on", heading: "DUE"),
                .init(name: days.name, heading: days.heading), .init(name: "alert_id", heading: "ALERT"),
                .init(name: "severity", heading: "SEVERITY"),
            ],
            rows: items.map { item in
                [
                    .text(item.kind.rawValue), .integer(Int64(item.schoolURN)), .text(item.upn), .text(item.pupilName),
                    .text("\(item.subjectType) \(item.subjectID)"), .text(item.dueOn.description),
                    .integer(Int64(count(item))), item.alertID.map { .integer($0) } ?? .none,
                    .text(item.severity.rawValue),
                ]
            }
        )
    }
}
