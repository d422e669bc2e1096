import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Case {
    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "note",
            abstract: "Add a dated note to an open case's chronology (SENCOs and staff).",
            discussion: """
                Mark a note --confidential when it holds third-party or safeguarding-sensitive information: staff \
                logins cannot read it, and a subject-access export lists it apart for review before release.

                Example:
                  inclusionctl case note 12 --kind parent-contact --on 2026-10-05 \\
                      --text "Mum reports better sleep since the new routine"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The case number (see `case list`).", valueName: "case")) var id: Int64
        @Option(help: "What kind of entry it is.") var kind: NoteKind
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
            try global.output.created(
                id: noteID,
                "Added note \(noteID) (\(kind))\(marked) to case \(id), dated \(day)."
            )
        }
    }
}
