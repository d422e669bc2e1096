import ArgumentParser
import InclusionCore
import InclusionStore

struct SchoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "school",
        abstract: "Add and list the trust's schools (adding is for admins).",
        subcommands: [SchoolAdd.self, SchoolList.self]
    )
}

struct SchoolAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a school.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Unique Reference Number (6 digits).") var urn: Int
    @Option(help: "The school's name.") var name: String
    @Option(help: "Local authority number (3 digits).") var la: Int
    @Option(help: "DfE establishment number (4 digits).") var estab: Int?

    func run() throws {
        let name = try TextField.validate(self.name, field: "name", maxLength: 200)
        _ = try SchoolURN.validate(urn, field: "urn")
        guard (100...999).contains(la) else {
            throw ValidationError(field: "la", message: "an LA number is 3 digits (100 to 999); check the number")
        }
        if let estab, !(1000...9999).contains(estab) {
            throw ValidationError(
                field: "estab",
                message: "an establishment number is 4 digits (1000 to 9999); check the number"
            )
        }
        let id = try SchoolStore(connection: try global.connect()).add(urn: urn, name: name, la: la, estab: estab)
        try global.output.created(id: id, "Added school \(urn) (id \(id)).")
    }
}

struct SchoolList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the schools you can see.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let schools = try SchoolStore(connection: try global.connect()).list()
        try global.output.list(schools) {
            global.output.table(
                ["URN", "NAME", "LA", "ESTAB"],
                schools.map { [String($0.urn), $0.name, String($0.la), $0.estab.map(String.init) ?? ""] }
            )
        }
    }
}
