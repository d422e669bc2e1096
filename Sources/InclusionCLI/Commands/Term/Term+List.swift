import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Term {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List a school's terms."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "The school's URN.") var school: Int

        func run() throws {
            let connection = try global.connect()
            let terms = try SchoolStore(connection: connection).terms(
                school: try SchoolID.find(urn: school, connection: connection)
            )
            try global.output.list(terms) {
                var rows: [[String]] = []
                for term in terms {
                    rows.append([String(term.id), term.name, term.from.description, term.to.description, ""])
                    for closure in term.closures {
                        rows.append(["", "  closed", closure.from.description, closure.to.description, closure.reason])
                    }
                }
                global.output.table(["ID", "TERM", "FROM", "TO", "REASON"], rows)
            }
        }
    }
}
