import ArgumentParser
import Foundation
import InclusionCore
import InclusionStore

extension Inclusionctl.Pupil {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add and update a school's pupils from a CSV file, all or nothing.",
            discussion: """
                Columns (a header line first, in any order): upn, given_name, family_name, date_of_birth, year_group, \
                sen_status, primary_need, secondary_need, then optionally eal, pupil_premium, looked_after, young_carer \
                (yes/no; a column left out keeps what is stored). UTF-8 with or without a byte order mark, quoted \
                fields, CRLF line ends, dates YYYY-MM-DD or DD/MM/YYYY.

                A UPN already at the school updates that pupil, a new one adds a pupil; a row identical to what is \
                stored is left alone. Any bad row (or a UPN listed twice) stops the import: every bad line is listed \
                and nothing is written (exit 65).

                Example:
                  inclusionctl pupil import --school 100101 pupils.csv
                """
        )

        /// Bytes read from the file at a time: the import's memory does not grow with the file.
        static let chunkSize = 64 * 1024

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The school's URN.") var school: Int
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            let today = try global.today
            let handle = try openFile()
            defer { try? handle.close() }
            let connection = try global.connect(limits: .bulk)
            let school = try SchoolID.find(urn: self.school, connection: connection)
            let summary: PupilImporter.Summary
            do {
                summary = try PupilImporter(connection: connection).importCSV(school: school, today: today) {
                    try readChunk(handle)
                }
            } catch let failure as PupilImporter.Failure {
                throw Self.cliFailure(failure)
            }
            let warnings = summary.warnings.map { RowProblem(line: $0.line ?? 0, field: $0.field, message: $0.message) }
            if global.json {
                try global.output.document(
                    Imported(
                        added: summary.added,
                        updated: summary.updated,
                        unchanged: summary.unchanged,
                        rows: summary.rows,
                        warnings: warnings,
                        unlistedWarnings: summary.unlistedWarnings > 0 ? summary.unlistedWarnings : nil
                    )
                )
                return
            }
            for warning in warnings {
                Output.warn("line \(warning.line): \(warning.field): \(warning.message)")
            }
            if summary.unlistedWarnings > 0 {
                Output.warn("\(Self.grouped(summary.unlistedWarnings)) more rows have warnings, not listed")
            }
            global.output.line(
                "Imported \(file): \(Self.grouped(summary.added)) added, \(Self.grouped(summary.updated)) updated, "
                    + "\(Self.grouped(summary.unchanged)) unchanged (\(Self.grouped(summary.rows)) rows)."
            )
        }

        private func openFile() throws -> FileHandle {
            do {
                return try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            } catch {
                let problem =
                    FileManager.default.fileExists(atPath: file)
                    ? "cannot be opened; check that your login may read it" : "does not exist; check the path"
                throw CLIFailure(exit: .notFound, field: "file", message: "\(file) \(problem)")
            }
        }

        private func readChunk(_ handle: FileHandle) throws -> Data? {
            do {
                let data = try handle.read(upToCount: Self.chunkSize)
                return data?.isEmpty == false ? data : nil
            } catch {
                throw CLIFailure(
                    exit: .notFound,
                    field: "file",
                    message: "\(file) cannot be read (is it a directory?); nothing was imported"
                )
            }
        }

        static func cliFailure(_ failure: PupilImporter.Failure) -> CLIFailure {
            var message = "\(grouped(failure.invalidRows)) row\(failure.invalidRows == 1 ? " is" : "s are") invalid; "
            message += "nothing was imported"
            // A problem with the whole file (its encoding, its header) is the message itself, not a count of rows.
            if failure.problems.count == 1, let only = failure.problems.first, ["file", "header"].contains(only.field) {
                message = only.message + "; nothing was imported"
            }
            if failure.unlistedProblems > 0 {
                message += " (the first \(grouped(failure.problems.count)) problems are listed, "
                message += "\(grouped(failure.unlistedProblems)) more are not)"
            }
            let first = failure.problems.first
            return CLIFailure(
                exit: .invalidData,
                field: first?.field,
                line: first?.line,
                message: message,
                rows: failure.problems.map { RowProblem(line: $0.line ?? 0, field: $0.field, message: $0.message) }
            )
        }

        /// A count with thousands separators, the way the summary prints it: `250,000`.
        static func grouped(_ count: Int) -> String {
            let digits = String(count.magnitude)
            var text = ""
            for (index, digit) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
                text.append(digit)
            }
            return count < 0 ? "-" + text : text
        }

        /// The JSON document of a successful import.
        struct Imported: Encodable {
            let version = 1
            let added: Int
            let updated: Int
            let unchanged: Int
            let rows: Int
            let warnings: [RowProblem]
            /// Only when there were more warnings than listed.
            let unlistedWarnings: Int?

            enum CodingKeys: String, CodingKey {
                case version, added, updated, unchanged, rows, warnings
                case unlistedWarnings = "unlisted_warnings"
            }
        }
    }
}
