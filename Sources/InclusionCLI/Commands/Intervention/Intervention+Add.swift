import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Intervention {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Set up an intervention for one pupil or a group at one school.",
            discussion: """
                Example:
                  inclusionctl intervention add A123456789012 B123456789012 \\
                      --name "Reading catch-up" --area cognition-learning \\
                      --starts 2026-09-14 --ends 2026-12-11 --per-week 3 --minutes 20 \\
                      --cost-per-session 12.50
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The UPN of each pupil in the group.", valueName: "upn")) var upns: [String] = []
        @OptionGroup var school: PupilSchoolOption
        @Option(help: "The programme, e.g. \"Reading catch-up\" or \"ELSA\" (at most 200 characters).") var name: String
        @Option(help: "The area of need (SEND Code of Practice 6.28).") var area: AreaOfNeed
        @Option(help: ArgumentHelp("The first day (YYYY-MM-DD or DD/MM/YYYY).", valueName: "date")) var starts: String
        @Option(help: ArgumentHelp("The planned last day.", valueName: "date")) var ends: String
        @Option(help: "Sessions a week, e.g. 3 (0.5 is one a fortnight; at most 25).") var perWeek: String
        @Option(help: "Minutes a session (1 to 600).") var minutes: Int
        @Option(help: "Cost of one session in pounds, e.g. 12.50 (a group shares it).") var costPerSession: String?
        @Option(help: "The plan (of one of the pupils) this intervention delivers.") var plan: Int64?
        @Option(help: "The starting measure, e.g. \"reading age 6y2m\" (at most 200 characters).") var baseline: String?
        @Option(help: "The measure aimed for (at most 200 characters).") var target: String?

        func validate() throws {
            if upns.isEmpty { throw ArgumentParser.ValidationError("name at least one pupil by UPN") }
        }

        func run() throws {
            let upns = try self.upns.map { text throws(ValidationError) in try UPN(text) }
            var fields = try InterventionFields(
                name: try TextField.validate(name, field: "name", maxLength: 200),
                area: area,
                starts: try Day.parse(starts, field: "starts"),
                ends: try Day.parse(ends, field: "ends"),
                perWeek: try InterventionFields.parseSessionsPerWeek(perWeek),
                minutes: minutes
            )
            fields.costPerSession = try costPerSession.map { text throws(ValidationError) in
                try Money.parse(text, field: "cost-per-session")
            }
            fields.plan = plan
            fields.baseline = try baseline.map { text throws(ValidationError) in
                try TextField.validate(text, field: "baseline", maxLength: 200)
            }
            fields.target = try target.map { text throws(ValidationError) in
                try TextField.validate(text, field: "target", maxLength: 200)
            }
            let connection = try global.connect()
            let finder = try PupilFinder(connection: connection, schoolURN: school.urn)
            let pupils = try upns.map { try finder.find($0.text) }
            let id = try InterventionStore(connection: connection).add(pupils: pupils, fields: fields)
            let group = pupils.count == 1 ? "1 pupil" : "a group of \(pupils.count)"
            try global.output.created(id: id, "Set up intervention \(id) (\(fields.name)) for \(group).")
        }
    }
}
