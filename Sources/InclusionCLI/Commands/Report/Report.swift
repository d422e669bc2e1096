import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

extension Inclusionctl {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Lists for the SENCOs' meetings: what is overdue or lapsed, and what falls due soon.",
            discussion: """
                Each report lists what your login may see (a SENCO their own schools, staff their schools, admins \
                every school), one row per review, milestone or alert, as a table, as CSV for a spreadsheet \
                (--format csv) or as JSON (--format json, the same as --json). A readonly (governor) login is \
                refused (exit 77): reports name pupils.

                In CSV, text that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a \
                spreadsheet shows it as text and never runs it as a formula; numbers are written as they are.
                """,
            subcommands: [Overdue.self, Due.self]
        )
    }
}

extension Inclusionctl.Report {
    /// How a report is written.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case table, csv, json
    }

    /// The options every report takes.
    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("Only this school.", valueName: "urn")) var school: Int?
        @Option(help: ArgumentHelp("Judge as of this day instead of today.", valueName: "date")) var asOf: String?
        @Option(help: "How to write the report (json is the same as --json).") var format: Format?

        /// The day the report judges by: --as-of, else today.
        func day(_ global: GlobalOptions) throws -> Day {
            if let asOf { return try Day.parse(asOf, field: "as-of") }
            return try global.today
        }

        /// --format, reconciled with the global --json.
        func format(_ global: GlobalOptions) throws -> Format {
            switch (global.json, format) {
            case (false, let format): return format ?? .table
            case (true, nil), (true, .json): return .json
            case (true, let format?):
                throw CLIFailure(
                    exit: .usage,
                    field: "format",
                    message: "--json asks for JSON but --format asks for \(format.rawValue); give one of them"
                )
            }
        }

        /// The id of the school --school names, if it names one the caller can see.
        func schoolID(_ connection: Connection) throws -> Int? {
            try school.map { try SchoolID.find(urn: $0, connection: connection) }
        }
    }
}
