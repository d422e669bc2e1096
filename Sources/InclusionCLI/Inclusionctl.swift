import ArgumentParser
import Foundation

/// The `inclusionctl` command tree.
struct Inclusionctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusionctl",
        abstract: "Keep pupils' SEN support, cases, plans, interventions and reviews on track.",
        discussion: """
            inclusionctl connects to PostgreSQL as you (--database, then DATABASE_URL, then libpq's PG* defaults),
            so you see and change only what your login may: a SENCO their own schools, staff their schools' pupils
            (not confidential notes), admins every school.

            Exit codes: 0 ok, 1 failure, 3 no live daemon, 64 usage, 65 invalid data, 66 not found,
            69 database unavailable, 77 permission denied, 78 configuration error.
            """,
        subcommands: [
            DbCommand.self, AuditCommand.self, SchoolCommand.self, TermCommand.self, StaffCommand.self,
            PupilCommand.self, CaseCommand.self, PlanCommand.self, InterventionCommand.self, ReviewCommand.self,
            JobCommand.self, StatusCommand.self, ReloadCommand.self,
        ]
    )
}

/// Runs `inclusionctl`, turning every failure into DESIGN §8's exit codes and, with `--json`, a JSON error.
public enum InclusionctlMain {
    public static func main(_ arguments: [String]? = nil) -> Never {
        let arguments = hoistGlobalOptions(arguments ?? Array(CommandLine.arguments.dropFirst()))
        let json = wantsJSON(arguments)
        var command: any ParsableCommand
        do {
            command = try Inclusionctl.parseAsRoot(arguments)
        } catch {
            let code = Inclusionctl.exitCode(for: error)
            if json && code != .success {
                report(CLIFailure(exit: .usage, message: Inclusionctl.message(for: error)), json: true)
                exit(ExitStatus.usage.rawValue)
            }
            Inclusionctl.exit(withError: error)
        }
        do {
            try command.run()
            exit(0)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch {
            // `help` and `--help` inside a command arrive here as ArgumentParser's own clean exits.
            if Inclusionctl.exitCode(for: error) == .success { Inclusionctl.exit(withError: error) }
            let failure = CLIFailure(error)
            report(failure, json: json)
            exit(failure.exit.rawValue)
        }
    }

    /// Global options may come before the subcommand (`inclusionctl --database X pupil list`) as well as after it:
    /// leading ones are moved to the end, where every leaf command's `GlobalOptions` group parses them.
    static func hoistGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--json" || argument.hasPrefix("--database=") {
                leading.append(argument)
                index += 1
            } else if argument == "--database", index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else {
                break
            }
        }
        return Array(arguments[index...]) + leading
    }

    static func wantsJSON(_ arguments: [String]) -> Bool {
        if arguments.contains("--json") || arguments.contains("--format=json") { return true }
        if let index = arguments.firstIndex(of: "--format"), index + 1 < arguments.count {
            return arguments[index + 1] == "json"
        }
        return false
    }

    static func report(_ failure: CLIFailure, json: Bool) {
        if json, let data = try? JSONSerialization.data(withJSONObject: failure.jsonDocument, options: [.sortedKeys]) {
            FileHandle.standardError.write(data)
            FileHandle.standardError.write(Data("\n".utf8))
            return
        }
        var text = failure.description + "\n"
        if let detail = failure.debugDetail, ProcessInfo.processInfo.environment["INCLUSIONCTL_DEBUG"] != nil {
            text += "  debug: \(detail)\n"
        }
        for row in failure.rows {
            text += "  line \(row.line): \(row.field): \(row.message)\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
