import ArgumentParser
import Foundation
import InclusionCore

/// The `inclusionctl` command tree.
struct Inclusionctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusionctl",
        abstract: "Track pupils' SEN support: cases, plans, interventions and reviews.",
        discussion: """
            inclusionctl connects to PostgreSQL as you (--database, then DATABASE_URL, then libpq's PG* defaults), \
            so you see and change only what your login may: a SENCO their own schools, staff their schools' pupils \
            (not confidential notes), admins every school.

            A UPN on roll at more than one school you can see is refused until --school URN says which. Text and \
            table output show control characters as escapes (ESC as \\x1b, a line break in a name as \\n); \
            --json keeps all text exactly. Each session waits at most 10s for a lock and 5min for a statement \
            (pupil import and audit verify: 1h; db migrate: 1min for a lock, statements as the server sets) \
            unless your connection string, PGOPTIONS or ALTER ROLE/DATABASE … SET chose lock_timeout or \
            statement_timeout.

            Exit codes: 0 ok, 1 failure, 3 no live daemon, 64 usage, 65 invalid data, 66 not found, \
            69 database unavailable, 77 permission denied, 78 configuration error.
            """,
        subcommands: [
            Db.self, Audit.self, School.self, Term.self, Staff.self, Pupil.self, Case.self, Plan.self,
            Intervention.self,
            Review.self, Alert.self, Report.self, Job.self, Status.self, Reload.self, Manual.self,
        ]
    )

    /// `--database` and `--json`, parsed here so that they may come before the subcommand's words or after them;
    /// every command reads them through `@ParentCommand`.
    @OptionGroup(title: "Global options") var global: GlobalOptions
}

/// Runs `inclusionctl`, turning every failure into DESIGN §8's exit codes and, with `--json`, a JSON error.
public enum InclusionctlMain {
    public static func main(_ arguments: [String]? = nil) -> Never {
        let fromProcess = arguments == nil
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        let json = wantsJSON(arguments)
        // Swift decodes argv with U+FFFD for bytes that are not UTF-8, so the raw bytes are checked first: a name
        // from a mis-encoded script must not be stored with replacement characters.
        if fromProcess, let failure = invalidUTF8(rawArguments()) {
            report(failure, json: json)
            exit(failure.exit.rawValue)
        }
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

    /// The process's arguments as the bytes the kernel passed, without the program's name.
    static func rawArguments() -> [[UInt8]] {
        (1..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        }
    }

    /// A usage error (exit 64) for the first argument that is not valid UTF-8, naming it by position and by the
    /// option it belongs to (never by its bytes, which may be a pupil's name); nil when every argument is valid.
    static func invalidUTF8(_ arguments: [[UInt8]]) -> CLIFailure? {
        guard let index = arguments.firstIndex(where: { String(validating: $0, as: UTF8.self) == nil }) else {
            return nil
        }
        func optionName(_ bytes: [UInt8]) -> String? {
            let name = bytes.prefix { $0 != UInt8(ascii: "=") }
            guard name.starts(with: Array("--".utf8)), name.count > 2,
                name.dropFirst(2).allSatisfy({ $0 == UInt8(ascii: "-") || (0x61...0x7A).contains($0) })
            else { return nil }
            return String(decoding: name.dropFirst(2), as: UTF8.self)
        }
        var option: String?
        if arguments[index].contains(UInt8(ascii: "=")), let name = optionName(arguments[index]) {
            option = name
        } else if index > 0, !arguments[index - 1].contains(UInt8(ascii: "=")) {
            option = optionName(arguments[index - 1])
        }
        let place = "argument \(index + 1)" + (option.map { " (the value given with --\($0))" } ?? "")
        return CLIFailure(
            exit: .usage,
            field: option ?? "argument",
            message: "\(place) is not valid UTF-8 text; set the terminal or script to UTF-8 and type it again"
        )
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
        // Escaped like all text output: a message may name a file, and debug text can carry stored values.
        var text = TerminalText.escaped(failure.description) + "\n"
        if let detail = failure.debugDetail, ProcessInfo.processInfo.environment["INCLUSIONCTL_DEBUG"] != nil {
            text += "  debug: \(TerminalText.escaped(detail))\n"
        }
        for row in failure.rows {
            text += TerminalText.escaped("  line \(row.line): \(row.field): \(row.message)") + "\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
