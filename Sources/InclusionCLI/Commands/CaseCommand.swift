import ArgumentParser
import InclusionCore
import InclusionStore

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Log concerns and referrals about pupils, with a dated chronology of notes.",
        discussion: """
            A case moves open → assessing ⇄ monitoring, and is closed with an outcome. A closed case is final: \
            a new concern opens a new case, so the old chronology stays intact. Notes are never changed or \
            deleted; a correction is a new note. Staff (teachers, TAs) may add notes; a note marked \
            --confidential is hidden from them.
            """,
        subcommands: [
            CaseOpen.self, CaseNoteAdd.self, CaseStateChange.self, CaseClose.self, CaseList.self, CaseShow.self,
        ]
    )
}

struct CaseOpen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a case about a pupil, dated today.",
        discussion: """
            Example:
              inclusionctl case open A123456789012 --category concern \\
                  --summary "Struggling to read"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The pupil's UPN.") var upn: String
    @OptionGroup var school: PupilSchoolOption
    @Option(help: "Why the case is opened: concern, referral, parent-request or agency.") var category: String
    @Option(help: "What the concern is, in a sentence or two (at most 2000 characters).") var summary: String

    func run() throws {
        let category = try CaseCategory.parse(self.category, field: "category")
        let summary = try TextField.validate(self.summary, field: "summary", maxLength: 2000)
        let upn = try UPN(self.upn)
        let today = try global.today
        let connection = try global.connect()
        let pupil = try PupilFinder(connection: connection, schoolURN: school.urn).find(upn.text)
        let id = try CaseStore(connection: connection).open(
            pupil: pupil,
            category: category,
            summary: summary,
            today: today
        )
        try global.output.created(id: id, "Opened case \(id) (\(category)) about \(upn) on \(today).")
    }
}

struct CaseNoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a dated note to an open case's chronology (SENCOs and staff).",
        discussion: """
            Mark a note --confidential when it holds third-party or safeguarding-sensitive information: staff \
            logins cannot read it, and a subject-access export lists it apart for review before release.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64
    @Option(help: "note, meeting, parent-contact, agency-contact or observation.") var kind: String
    @Option(help: "What happened or was said (at most 100,000 characters).") var text: String
    @Option(
        help: ArgumentHelp(
            "The day it happened, if not today (YYYY-MM-DD or DD/MM/YYYY; not in the future).",
            valueName: "date"
        )
    )
    var on: String?
    @Flag(help: "Hide the note from staff logins (teachers, TAs).") var confidential = false

    func run() throws {
        let kind = try NoteKind.parse(self.kind, field: "kind")
        let text = try TextField.validate(self.text, field: "text", maxLength: 100_000)
        let today = try global.today
        let day = try on.map { text throws(ValidationError) in try Day.parse(text, field: "on") } ?? today
        let noteID = try CaseStore(connection: try global.connect()).addNote(
            case: id,
            kind: kind,
            text: text,
            on: day,
            confidential: confidential,
            today: today
        )
        let marked = confidential ? " (confidential)" : ""
        try global.output.created(id: noteID, "Added note \(noteID) (\(kind))\(marked) to case \(id), dated \(day).")
    }
}

struct CaseStateChange: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Move a case to assessing or monitoring.",
        discussion: "To close a case use `case close CASE --outcome TEXT`, which records the outcome."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64
    @Option(help: "The new state: assessing or monitoring.") var to: String

    func run() throws {
        let next = try CaseState.parse(to, field: "to")
        try CaseStore(connection: try global.connect()).move(case: id, to: next)
        try global.output.changed(id: id, "Case \(id) is now \(next).")
    }
}

struct CaseClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a case with its outcome, dated today. Closing is final.",
        discussion: """
            Example:
              inclusionctl case close 12 --outcome "Placed on SEN support; plan 7"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64
    @Option(help: "What was decided or achieved (at most 2000 characters).") var outcome: String

    func run() throws {
        let outcome = try TextField.validate(self.outcome, field: "outcome", maxLength: 2000)
        let today = try global.today
        try CaseStore(connection: try global.connect()).close(case: id, outcome: outcome, today: today)
        try global.output.changed(id: id, "Closed case \(id) on \(today).")
    }
}

struct CaseList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List cases you can see, newest first."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this school (URN).") var school: Int?
    @Flag(help: "Only cases that are not closed.") var open = false

    func run() throws {
        let connection = try global.connect()
        let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
        let cases = try CaseStore(connection: connection).list(school: school, openOnly: open)
        try global.output.list(cases) {
            global.output.table(
                ["ID", "UPN", "SCHOOL", "CATEGORY", "STATE", "OPENED", "LAST NOTE", "SUMMARY"],
                cases.map {
                    [
                        String($0.id), $0.upn, String($0.schoolURN), $0.category.rawValue, $0.state.rawValue,
                        $0.openedOn.description, $0.lastNoteOn?.description ?? "-", oneLine($0.summary),
                    ]
                }
            )
        }
    }
}

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case and its chronology of notes (staff do not see confidential notes)."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64

    func run() throws {
        let found = try CaseStore(connection: try global.connect()).show(case: id)
        if global.json {
            try global.output.document(Versioned(found))
            return
        }
        let output = global.output
        output.line("case \(found.id): \(found.category) about \(found.upn) at school \(found.schoolURN)")
        output.line("state: \(found.state), opened \(found.openedOn)")
        output.block("summary: ", found.summary)
        if let closedOn = found.closedOn, let outcome = found.outcome {
            output.block("closed \(closedOn): ", outcome)
        }
        for note in found.notes ?? [] {
            let marked = note.confidential ? " [confidential]" : ""
            output.block("\(note.on)  \(note.kind)\(marked) by \(note.author): ", note.text)
        }
        if found.notes?.isEmpty ?? true { output.line("(no notes)") }
    }
}

/// Free text squeezed onto one table line.
private func oneLine(_ text: String, limit: Int = 60) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
}
