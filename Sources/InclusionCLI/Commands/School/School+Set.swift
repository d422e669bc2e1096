import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.School {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Rename a school, or record which year groups transfer phase and by which deadline.",
            discussion: """
                An EHCP pupil in a year group that transfers phase at the end of the year needs the amended plan \
                naming the next setting issued by 14 February (feb15), or by 30 March (mar31) for secondary school \
                to a post-16 institution (SEND Regulations 2014 reg 18(1)). A new school transfers year 6 (feb15) \
                and year 11 (mar31). Each --transfer replaces its year group's deadline; each --no-transfer removes \
                its year group, for example year 11 at a school with its own sixth form, since staying on is no \
                transfer. Admins may rename schools and change any school's transfers; SENCOs change their own \
                schools' transfers.

                Example:
                  inclusionctl school set 100101 --transfer 6=feb15 --no-transfer 11
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Argument(help: ArgumentHelp("Unique Reference Number (6 digits).", valueName: "urn")) var urn: Int
        @Option(help: "The school's new name.") var name: String?
        @Option(
            help: ArgumentHelp(
                "A year group (N1, N2, R, 1 to 14) that transfers phase, and its deadline: feb15 or mar31 (repeatable).",
                valueName: "year=deadline"
            )
        )
        var transfer: [Transfer] = []
        @Option(
            help: ArgumentHelp("A year group that does not transfer phase (repeatable).", valueName: "year")
        )
        var noTransfer: [YearGroup] = []

        func validate() throws {
            if name == nil && transfer.isEmpty && noTransfer.isEmpty {
                throw ArgumentParser.ValidationError("give --name, --transfer or --no-transfer")
            }
            let years = transfer.map(\.yearGroup) + noTransfer
            if let twice = years.first(where: { year in years.filter { $0 == year }.count > 1 }) {
                throw ArgumentParser.ValidationError(
                    "year group \(twice) is given more than once in --transfer and --no-transfer; give it once"
                )
            }
        }

        func run() throws {
            let name = try self.name.map { text throws(ValidationError) in
                try TextField.validate(text, field: "name", maxLength: 200)
            }
            _ = try SchoolURN.validate(urn, field: "urn")
            let id = try SchoolStore(connection: try global.connect()).set(
                urn: urn,
                name: name,
                transfers: transfer.map { SchoolTransfer(yearGroup: $0.yearGroup, deadline: $0.deadline) },
                removing: noTransfer
            )
            var changes: [String] = []
            if let name { changes.append("renamed \(name)") }
            changes += transfer.map { "year \($0.yearGroup) transfers by \($0.deadline)" }
            changes += noTransfer.map { "year \($0) does not transfer" }
            try global.output.changed(
                id: Int64(id),
                "School \(urn): " + changes.joined(separator: "; ") + "."
            )
        }
    }
}
