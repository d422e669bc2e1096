import ArgumentParser

struct PupilImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "(being written)")

    @OptionGroup var global: GlobalOptions
}
