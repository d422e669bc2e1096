import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Term {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a term.",
            discussion: """
                Example:
                  inclusionctl term add --school 100101 --name "Autumn 2026" \\
                      --from 2026-09-03 --to 2026-12-18
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The school's URN.") var school: Int
        @Option(help: "The term's name, e.g. \"Autumn 2026\".") var name: String
        @Option(help: "First day (YYYY-MM-DD or DD/MM/YYYY).") var from: String
        @Option(help: "Last day.") var to: String

        func run() throws {
            let name = try TextField.validate(self.name, field: "name", maxLength: 100)
            let first = try Day.parse(from, field: "from")
            let last = try Day.parse(to, field: "to")
            guard last >= first else { throw ValidationError(field: "to", message: "the term ends before it starts") }
            let connection = try global.connect()
            let schoolID = try SchoolID.find(urn: school, connection: connection)
            let id = try SchoolStore(connection: connection).addTerm(
                school: schoolID,
                name: name,
                from: first,
                to: last
            )
            try global.output.created(id: id, "Added term \(name) (\(first) to \(last)) to school \(school).")
        }
    }
}
