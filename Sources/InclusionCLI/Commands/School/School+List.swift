import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.School {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the schools you can see, with the year groups that transfer phase and their deadlines."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

        func run() throws {
            let schools = try SchoolStore(connection: try global.connect()).list()
            try global.output.list(schools) {
                global.output.table(
                    ["URN", "NAME", "LA", "ESTAB", "TRANSFERS"],
                    schools.map {
                        [
                            String($0.urn), $0.name, String($0.la), $0.estab.map(String.init) ?? "",
                            $0.transfers.map { "\($0.yearGroup)=\($0.deadline.rawValue)" }.joined(separator: ","),
                        ]
                    }
                )
            }
        }
    }
}
