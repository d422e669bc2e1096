import ArgumentParser
import InclusionCore
import InclusionStore

struct InterventionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intervention",
        abstract: "Set up interventions for a pupil or a group, log their sessions and end them.",
        discussion: """
            A group shares one session log and one cost per session. Staff (teachers, TAs) may log sessions; \
            SENCOs set interventions up and end them. In JSON, cost_per_session is in pence (1250 is £12.50).
            """,
        subcommands: [
            InterventionAdd.self, InterventionLogSession.self, InterventionEnd.self, InterventionList.self,
            InterventionShow.self,
        ]
    )
}

struct InterventionAdd: ParsableCommand {
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

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The UPN of each pupil in the group.", valueName: "upn")) var upns: [String] = []
    @OptionGroup var school: PupilSchoolOption
    @Option(help: "The programme, e.g. \"Reading catch-up\" or \"ELSA\" (at most 200 characters).") var name: String
    @Option(help: "The area of need: cognition-learning, communication-interaction, semh or sensory-physical.")
    var area: String
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
        var fields = InterventionFields(
            name: try TextField.validate(name, field: "name", maxLength: 200),
            area: try AreaOfNeed.parse(area, field: "area"),
            starts: try Day.parse(starts, field: "starts"),
            ends: try Day.parse(ends, field: "ends"),
            perWeek: try Self.sessionsPerWeek(perWeek),
            minutes: minutes
        )
        guard (1...600).contains(minutes) else {
            throw ValidationError(field: "minutes", message: "a session lasts 1 to 600 minutes")
        }
        guard fields.ends >= fields.starts else {
            throw ValidationError(field: "ends", message: "the intervention ends before it starts")
        }
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

    /// Parses sessions a week: more than 0, at most 25, at most two decimal places.
    static func sessionsPerWeek(_ text: String) throws(ValidationError) -> Double {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard digits, parts.count <= 2, parts[0].count <= 2, parts.count == 1 || parts[1].count <= 2,
            let value = Double(text), value > 0, value <= 25
        else {
            throw ValidationError(
                field: "per-week",
                message: "give the sessions a week as a number above 0 and at most 25, e.g. 3 or 0.5 (fortnightly)"
            )
        }
        return value
    }
}

struct InterventionLogSession: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Log one session: delivered (name any pupils absent) or missed with a reason.",
        discussion: """
            Examples:
              inclusionctl intervention session 3 --on 2026-10-05 --absent B123456789012
              inclusionctl intervention session 3 --on 2026-10-06 --missed "TA covering"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The intervention number (see `intervention list`).", valueName: "id")) var id: Int64
    @Option(help: ArgumentHelp("The day of the session (not in the future).", valueName: "date")) var on: String
    @Option(help: "The session did not happen: say why (at most 500 characters).") var missed: String?
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("UPNs of group members absent from a delivered session.", valueName: "upn")
    )
    var absent: [String] = []

    func validate() throws {
        if missed != nil && !absent.isEmpty {
            throw ArgumentParser.ValidationError("--absent is for a delivered session; leave it out with --missed")
        }
    }

    func run() throws {
        let day = try Day.parse(on, field: "on")
        let missed = try self.missed.map { text throws(ValidationError) in
            try TextField.validate(text, field: "missed", maxLength: 500)
        }
        let absentUPNs = try absent.map { text throws(ValidationError) in
            do throws(ValidationError) { return try UPN(text) } catch { throw error.about(field: "absent") }
        }
        let today = try global.today
        let connection = try global.connect()
        var absent: [PupilRef] = []
        if !absentUPNs.isEmpty {
            let finder = try PupilFinder.forIntervention(id, connection: connection)
            absent = try absentUPNs.map { try finder.find($0.text, field: "absent") }
        }
        let session = try InterventionStore(connection: connection).logSession(
            intervention: id,
            on: day,
            missedReason: missed,
            absent: absent,
            today: today
        )
        let what =
            missed == nil
            ? "a delivered session" + (absent.isEmpty ? "" : " (\(absent.count) absent)") : "a missed session"
        try global.output.created(id: session, "Logged \(what) of intervention \(id) on \(day).")
    }
}

struct InterventionEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end",
        abstract: "End an intervention, optionally recording a pupil's exit score.",
        discussion: """
            For a group, name whose score it is with --for, and run the command again with the same --on for \
            each pupil's score. Example:
              inclusionctl intervention end 3 --on 2026-12-11 --exit-score "7y0m" \\
                  --for A123456789012
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The intervention number (see `intervention list`).", valueName: "id")) var id: Int64
    @Option(help: ArgumentHelp("The day it ended (not in the future).", valueName: "date")) var on: String
    @Option(help: "The exit measure, comparable with the baseline (at most 200 characters).") var exitScore: String?
    @Option(
        name: .customLong("for"),
        help: ArgumentHelp("The UPN of the pupil the exit score is for (needed for a group).", valueName: "upn")
    )
    var pupil: String?

    func validate() throws {
        if pupil != nil && exitScore == nil {
            throw ArgumentParser.ValidationError("--for names whose --exit-score it is; give --exit-score too")
        }
    }

    func run() throws {
        let day = try Day.parse(on, field: "on")
        let score = try exitScore.map { text throws(ValidationError) in
            try TextField.validate(text, field: "exit-score", maxLength: 200)
        }
        let upn = try pupil.map { text throws(ValidationError) in
            do throws(ValidationError) { return try UPN(text) } catch { throw error.about(field: "for") }
        }
        let today = try global.today
        let connection = try global.connect()
        let pupil = try upn.map {
            try PupilFinder.forIntervention(id, connection: connection).find($0.text, field: "for")
        }
        try InterventionStore(connection: connection).end(
            intervention: id,
            on: day,
            exitScore: score,
            for: pupil,
            today: today
        )
        try global.output.changed(
            id: id,
            "Intervention \(id) ended on \(day)" + (score == nil ? "." : "; exit score recorded.")
        )
    }
}

struct InterventionList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List interventions you can see, with sessions delivered and missed."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this school (URN).") var school: Int?
    @Flag(help: "Only interventions not yet ended.") var active = false

    func run() throws {
        let connection = try global.connect()
        let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
        let interventions = try InterventionStore(connection: connection).list(school: school, activeOnly: active)
        try global.output.list(interventions) {
            global.output.table(
                ["ID", "SCHOOL", "NAME", "AREA", "PUPILS", "STARTS", "ENDS", "DELIVERED", "MISSED", "LAST", "ENDED"],
                interventions.map {
                    [
                        String($0.id), String($0.schoolURN), $0.name, $0.area.rawValue, $0.upns.joined(separator: ","),
                        $0.starts.description, $0.ends.description, String($0.delivered), String($0.missed),
                        $0.lastDeliveredOn?.description ?? "-", $0.endedOn?.description ?? "-",
                    ]
                }
            )
        }
    }
}

struct InterventionShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an intervention: its group, dates, cost, measures and delivery so far."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The intervention number (see `intervention list`).", valueName: "id")) var id: Int64

    func run() throws {
        let found = try InterventionStore(connection: try global.connect()).show(intervention: id)
        if global.json {
            try global.output.document(Versioned(found))
            return
        }
        let output = global.output
        let perWeek = found.perWeek == found.perWeek.rounded() ? String(Int(found.perWeek)) : String(found.perWeek)
        output.line("intervention \(found.id): \(found.name) (\(found.area)) at school \(found.schoolURN)")
        output.line(
            "\(found.starts) to \(found.ends)" + (found.endedOn.map { ", ended \($0)" } ?? "")
                + "; \(perWeek) a week, \(found.minutes) minutes"
                + (found.costPerSession.map { ", \($0) a session" } ?? "")
        )
        if let plan = found.plan { output.line("delivers plan \(plan)") }
        output.line("baseline \(found.baseline ?? "-"), target \(found.target ?? "-")")
        output.line(
            "sessions: \(found.delivered) delivered, \(found.missed) missed, last delivered "
                + (found.lastDeliveredOn?.description ?? "-")
        )
        for member in found.pupils {
            output.line("  \(member.upn)" + (member.exitScore.map { "  exit score \($0)" } ?? ""))
        }
    }
}
