import ArgumentParser

struct InterventionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intervention",
        abstract: "(being written)"
    )
}
