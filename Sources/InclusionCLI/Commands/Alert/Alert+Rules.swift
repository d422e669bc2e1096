import ArgumentParser
import InclusionCore

extension Inclusionctl.Alert {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "List every rule: its name, severity, source and configuration keys with their defaults.",
            discussion: """
                Example:
                  inclusionctl alert rules --json
                """
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

        struct Rule: Encodable {
            let name: String
            let severity: String
            let source: String
            let settings: [String: String]
        }

        func run() throws {
            let rules = AlertRuleName.allCases.map { rule in
                Rule(
                    name: rule.rawValue,
                    severity: rule.severity.rawValue,
                    source: rule.source,
                    settings: Dictionary(
                        rule.settings.map { ("rules." + $0.key, $0.defaultValue) },
                        uniquingKeysWith: { first, _ in first }
                    )
                )
            }
            try global.output.list(rules) {
                global.output.table(
                    ["RULE", "SEVERITY", "SETTINGS", "SOURCE"],
                    rules.map {
                        [
                            $0.name, $0.severity,
                            $0.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                                separator: " "
                            ),
                            $0.source,
                        ]
                    }
                )
            }
        }
    }
}
