import ArgumentParser
import InclusionCore
import InclusionStore

struct TermCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "term",
        abstract: "Record a school's terms and closures: school days drive every review and lapse rule.",
        subcommands: [TermAdd.self, TermList.self, TermClosure.self]
    )
}

struct TermAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a term.")

    @OptionGroup var global: GlobalOptions
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
        let id = try SchoolStore(connection: connection).addTerm(school: schoolID, name: name, from: first, to: last)
        try global.output.created(id: id, "Added term \(name) (\(first) to \(last)) to school \(school).")
    }
}

struct TermList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a school's terms.")

    @OptionGroup var global: GlobalOptions
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

struct TermClosure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "closure",
        abstract: "Record days a school is closed inside a term (INSET day, half term, bank holiday)."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The school's URN.") var school: Int
    @Option(help: "First day closed.") var from: String
    @Option(help: "Last day closed (default: the first day).") var to: String?
    @Option(help: "Why, e.g. \"INSET\" or \"half term\".") var reason: String

    func run() throws {
        let reason = try TextField.validate(self.reason, field: "reason", maxLength: 200)
        let first = try Day.parse(from, field: "from")
        let last = try to.map { text throws(ValidationError) in try Day.parse(text, field: "to") } ?? first
        guard last >= first else { throw ValidationError(field: "to", message: "the closure ends before it starts") }
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
