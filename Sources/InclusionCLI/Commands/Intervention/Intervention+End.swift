import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Intervention {
    struct End: ParsableCommand {
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

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("The intervention number (see `intervention list`).", valueName: "id")) var id:
            Int64
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
}
