import Foundation
import InclusionTestSupport
import Testing

/// `inclusionctl --help` and every command's help as a person reads them at 80 columns (no terminal: the width
/// ArgumentParser falls back to), and the shell completion scripts generated from the same command tree.
@Suite("inclusionctl's help")
struct InclusionctlHelpTests {
    /// Every command's words, from the command tree ArgumentParser itself describes.
    static let commands: [[String]] = {
        guard let cli = try? CommandRunner.inclusionctl(),
            let dump = try? cli.run(["--experimental-dump-help"]),
            let tree = try? JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any],
            let root = tree["command"] as? [String: Any]
        else { return [] }
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            paths.append(path)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help", sub["shouldDisplay"] as? Bool != false
                else { continue }
                walk(sub, path + [name])
            }
        }
        walk(root, [])
        return paths
    }()

    /// Commands that only read: every other leaf command changes data and shows an example.
    static let readOnly: Set<String> = ["list", "show", "runs", "verify", "status"]

    /// The overview's lines: everything before `USAGE:`.
    static func overview(_ help: String) -> [String] {
        Array(help.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.hasPrefix("USAGE:") })
            .map(String.init)
    }

    /// Lines of prose that end well short of the 80-column width although their paragraph goes on: a line break
    /// typed into the middle of a sentence. Indented lines (examples) and lines ending in ":" are left alone.
    static func raggedLines(_ lines: [String]) -> [String] {
        zip(lines, lines.dropFirst()).compactMap { line, next in
            let prose =
                !line.isEmpty && !line.hasPrefix(" ") && !next.hasPrefix(" ") && !next.isEmpty && !line.hasSuffix(":")
            return prose && line.count < 50 ? line : nil
        }
    }

    @Test func topLevelHelpReadsAsProse() throws {
        let help = try CommandRunner.inclusionctl().run(["--help"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "OVERVIEW: Track pupils' SEN support: cases, plans, interventions and reviews.")
        #expect(lines.contains("USAGE: inclusionctl [--database <conninfo>] [--json] <subcommand>"))
        #expect(lines.contains("GLOBAL OPTIONS:"))
        #expect(lines.contains("  case                    Log concerns and referrals about pupils, with a dated"))
        #expect(lines.contains { $0.hasPrefix("Exit codes: 0 ok, 1 failure, 3 no live daemon, 64 usage") })
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(Self.raggedLines(Self.overview(help.stdout)) == [])
    }

    @Test func aSubcommandsHelpListsItsChoicesAndExamples() throws {
        let cli = try CommandRunner.inclusionctl()
        let session = try cli.run(["intervention", "session", "--help"])
        #expect(session.status == 0)
        let lines = session.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "OVERVIEW: Log sessions held (naming any pupil absent) or missed (saying why).")
        #expect(
            lines.contains(
                "USAGE: inclusionctl intervention session <id> [--on <date> ...] [--from <date>] [--to <date>] "
                    + "[--weekdays <mon,tue,…>] [--missed <missed>] [--absent <upn> ...]"
            )
        )
        #expect(lines.contains("  inclusionctl intervention session 3 --on 2026-10-05 --absent B123456789012"))
        // Help wraps at 80 columns: compare with the line breaks and indentation folded to single spaces.
        func folded(_ words: [String]) throws -> String {
            try cli.run(words + ["--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(try folded(["case", "open"]).contains("(values: concern, referral, parent-request, agency)"))
        #expect(try folded(["case", "state"]).contains("(values: assessing, monitoring)"))
    }

    @Test("every command's overview is prose without ragged lines, and every command that changes data has an example")
    func everyCommandsHelp() throws {
        let cli = try CommandRunner.inclusionctl()
        #expect(Self.commands.count > 40, "the command tree: \(Self.commands)")
        for words in Self.commands {
            let help = try cli.run(words + ["--help"])
            #expect(help.status == 0, "\(words)")
            #expect(Self.raggedLines(Self.overview(help.stdout)) == [], "\(words)")
            let isLeaf = !help.stdout.contains("SUBCOMMANDS:")
            if isLeaf, let name = words.last, !Self.readOnly.contains(name) {
                #expect(help.stdout.contains("Example"), "\(words.joined(separator: " ")) has no example")
            }
        }
    }

    @Test(
        "completion scripts for bash, zsh and fish offer the commands and a choice flag's values",
        arguments: [
            "bash", "zsh", "fish",
        ]
    )
    func completionScripts(shell: String) throws {
        let script = try CommandRunner.inclusionctl().run(["--generate-completion-script", shell])
        #expect(script.status == 0)
        #expect(script.stdout.contains("intervention"))
        #expect(script.stdout.contains("parent-request"), "the --category values")
    }
}
