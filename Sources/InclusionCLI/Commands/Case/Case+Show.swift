import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Case {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a case and its chronology of notes (staff do not see confidential notes)."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
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
}
