import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl {
    struct Case: ParsableCommand {
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
                Open.self, Note.self, State.self, Close.self, List.self, Show.self,
            ]
        )
    }
}
