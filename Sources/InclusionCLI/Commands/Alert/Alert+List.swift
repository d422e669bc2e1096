import ArgumentParser
import InclusionCore
import InclusionStore

extension Inclusionctl.Alert {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the alerts you can see, most urgent first (by default those not resolved)."
        )

        enum State: String, CaseIterable, ExpressibleByArgument {
            case open, acknowledged, snoozed, resolved
        }

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }
        @Option(help: "Only alerts in this state.") var state: State?
        @Option(help: "Only alerts of this rule (see `alert rules`).") var rule: AlertRuleName?
        @Option(help: "Only this school (URN).") var school: Int?
        @Option(help: "Only alerts about this pupil.") var upn: String?

        func run() throws {
            let connection = try global.connect()
            let school = try self.school.map { try SchoolID.find(urn: $0, connection: connection) }
            let alerts = try AlertStore(connection: connection).list(
                state: state?.rawValue,
                rule: rule?.rawValue,
                school: school,
                upn: upn
            )
            try global.output.list(alerts) {
                global.output.table(
                    ["ID", "SEVERITY", "RULE", "SCHOOL", "UPN", "SUBJECT", "DUE", "STATE"],
                    alerts.map {
                        [
                            String($0.id), $0.severity, $0.rule, String($0.schoolURN), $0.upn ?? "-",
                            "\($0.subjectType) \($0.subjectID)", $0.dueOn.description,
                            $0.snoozedUntil.map { "snoozed until \($0)" } ?? $0.state,
                        ]
                    }
                )
            }
        }
    }
}

extension AlertRuleName: ExpressibleByArgument {}
