import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Intervention {
    struct Session: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session",
            abstract: "Log sessions held (naming any pupil absent) or missed (saying why).",
            discussion: """
                Name each day with --on, or a span of days with --from and --to, which logs a session on each \
                weekday of the span that --weekdays lists (Monday to Friday unless it says otherwise). Every day \
                gets the same absences or the same reason. All or nothing: a day outside the intervention's dates \
                or already logged logs none.

                Examples:
                  inclusionctl intervention session 3 --on 2026-10-05 --absent B123456789012
                  inclusionctl intervention session 3 --on 2026-10-06 --missed "TA covering"
                  inclusionctl intervention session 3 --from 2026-10-05 --to 2026-10-09 --weekdays mon,wed,fri
                """
        )

        /// The most sessions one command logs: a school year of daily sessions.
        static let maximumDays = 366

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The intervention number (see `intervention list`).", valueName: "id")) var id:
            Int64
        @Option(
            help: ArgumentHelp("A day of a session (not in the future); repeat it for several days.", valueName: "date")
        )
        var on: [String] = []
        @Option(help: ArgumentHelp("The first day of a span of sessions.", valueName: "date")) var from: String?
        @Option(help: ArgumentHelp("The last day of the span (not in the future).", valueName: "date")) var to: String?
        @Option(help: ArgumentHelp("The weekdays of the span that had a session.", valueName: "mon,tue,…"))
        var weekdays: Weekdays?
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
            switch (on.isEmpty, from, to) {
            case (true, nil, nil):
                throw ArgumentParser.ValidationError("name the session's day with --on DATE (or --from and --to)")
            case (false, nil, nil):
                if weekdays != nil {
                    throw ArgumentParser.ValidationError("--weekdays picks days of a span; give --from and --to")
                }
            case (true, .some, .some):
                break
            case (true, _, _):
                throw ArgumentParser.ValidationError("a span of days needs both --from and --to")
            default:
                throw ArgumentParser.ValidationError("give the days with --on or with --from and --to, not both")
            }
        }

        func run() throws {
            let days = try self.days()
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
            let sessions = try InterventionStore(connection: connection).logSessions(
                intervention: id,
                on: days,
                missedReason: missed,
                absent: absent,
                today: today
            )
            let absences = absent.isEmpty ? "" : " (\(absent.count) absent)"
            if global.json {
                try global.output.document(Logged(id: sessions[0], ids: sessions))
            } else if days.count == 1 {
                let what = missed == nil ? "a delivered session" + absences : "a missed session"
                global.output.line("Logged \(what) of intervention \(id) on \(days[0]).")
            } else {
                let what = missed == nil ? "delivered sessions" + absences : "missed sessions"
                global.output.line(
                    "Logged \(days.count) \(what) of intervention \(id), \(days[0]) to \(days[days.count - 1])."
                )
            }
        }

        /// The days named with `--on`, or the span's chosen weekdays, in order and each once.
        func days() throws(ValidationError) -> [Day] {
            var days: Set<Day> = []
            if let from, let to {
                let first = try Day.parse(from, field: "from")
                let last = try Day.parse(to, field: "to")
                guard first <= last else {
                    throw ValidationError(field: "to", message: "the span ends before it starts")
                }
                guard first.days(to: last) < Self.maximumDays else {
                    throw ValidationError(field: "to", message: "a span is at most \(Self.maximumDays) days; split it")
                }
                let chosen = weekdays ?? .schoolWeek
                var day = first
                while day <= last {
                    if chosen.contains(day) { days.insert(day) }
                    day = day.adding(days: 1)
                }
                guard !days.isEmpty else {
                    throw ValidationError(field: "weekdays", message: "none of the span's days is one of --weekdays")
                }
            } else {
                guard on.count <= Self.maximumDays else {
                    throw ValidationError(field: "on", message: "at most \(Self.maximumDays) days at a time")
                }
                for text in on { days.insert(try Day.parse(text, field: "on")) }
            }
            return days.sorted()
        }

        /// `{"version": 1, "id": …}` as every create prints, with `ids`: every session logged, in date order.
        struct Logged: Encodable {
            let version = 1
            let id: Int64
            let ids: [Int64]
        }
    }
}
