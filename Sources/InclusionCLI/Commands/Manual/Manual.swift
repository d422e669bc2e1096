import ArgumentParser
import Foundation

extension Inclusionctl {
    /// Writes a man page for every command of the tree, for `make install`.
    ///
    /// swift-argument-parser's `generate-manual` plugin does the same but builds the whole product in release mode
    /// first (minutes on a small machine); the command tree is already here, so the pages come from the binary.
    struct Manual: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-manual",
            abstract: "Write a man page (section 1) for every command into a directory.",
            shouldDisplay: false
        )

        @Option(help: ArgumentHelp("Where to write the pages.", valueName: "directory")) var outputDirectory: String

        func run() throws {
            let directory = URL(fileURLWithPath: outputDirectory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (words, command) in Self.commands(Inclusionctl.self, words: ["inclusionctl"]) {
                let page = Self.page(words: words, command: command)
                let name = words.joined(separator: "-") + ".1"
                try Data(page.utf8).write(to: directory.appendingPathComponent(name))
            }
        }

        /// Every visible command below `command`, with the words that run it, depth first.
        static func commands(
            _ command: any ParsableCommand.Type,
            words: [String]
        ) -> [([String], any ParsableCommand.Type)] {
            var found = [(words, command)]
            for sub in command.configuration.subcommands where sub.configuration.shouldDisplay {
                let name = sub.configuration.commandName ?? String(describing: sub).lowercased()
                found += commands(sub, words: words + [name])
            }
            return found
        }

        /// One page: NAME, SYNOPSIS, the help screen as DESCRIPTION, and SEE ALSO for the commands below.
        static func page(words: [String], command: any ParsableCommand.Type) -> String {
            let name = words.joined(separator: "-")
            let help = Inclusionctl.helpMessage(for: command, columns: 80)
            let usage = Inclusionctl.usageString(for: command)
            var page = """
                .TH "\(name.uppercased())" "1" "" "inclusionctl" "User Commands"
                .SH NAME
                \(escaped(name)) \\- \(escaped(command.configuration.abstract))
                .SH SYNOPSIS
                .nf
                \(escaped(usage))
                .fi
                .SH DESCRIPTION
                .nf
                \(escaped(help.trimmingCharacters(in: .newlines)))
                .fi

                """
            let children = command.configuration.subcommands.filter { $0.configuration.shouldDisplay }
            let seeAlso =
                (words.count > 1 ? [words.dropLast().joined(separator: "-")] : [])
                + children.compactMap { $0.configuration.commandName.map { name + "-" + $0 } }
            if !seeAlso.isEmpty {
                page += ".SH SEE ALSO\n" + seeAlso.map { "\(escaped($0))(1)" }.joined(separator: ", ") + "\n"
            }
            return page
        }

        /// Text made safe for roff: backslashes and hyphens escaped, no line read as a request.
        static func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(".") || $0.hasPrefix("'") ? "\\&" + $0 : String($0) }
                .joined(separator: "\n")
        }
    }
}
