import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Term {
    struct Closure: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "closure",
            abstract: "Record days a school is closed inside a term (INSET day, half term, bank holiday).",
            discussion: """
                Example:
                  inclusionctl term closure --school 100101 --from 2026-10-26 --to 2026-10-30 \\
                      --reason "half term"
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The school's URN.") var school: Int
        @Option(help: "First day closed.") var from: String
        @Option(help: "Last day closed (default: the first day).") var to: String?
        @Option(help: "Why, e.g. \"INSET\" or \"half term\".") var reason: String

        func run() throws {
            let reason = try TextField.validate(self.reason, field: "reason", maxLength: 200)
            let first = try Day.parse(from, field: "from")
            let last = try to.map { text throws(ValidationError) in try Day.parse(text, field: "to") } ?? first
            guard last >= first else {
                throw ValidationError(field: "to", message: "the closure ends before it starts")
            }
            let connection = try global.connect()
            let id = try SchoolStore(connection: connection).addClosure(
                school: try SchoolID.find(urn: school, connection: connection),
                from: first,
                to: last,
                reason: reason
            )
            try global.output.created(id: id, "Recorded closure \(first) to \(last) at school \(school).")
        }
    }
}
