import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.School {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a school.",
            discussion: """
                Example:
                  inclusionctl school add --urn 100101 --name "Oakfield Primary" --la 201 --estab 2001
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
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
}
