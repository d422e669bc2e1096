import ArgumentParser
import InclusionStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail (admins).",
        subcommands: [AuditVerify.self]
    )
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every audit hash and name the first broken link (exit 65 if there is one)."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let result = try AuditStore(connection: try global.connect()).verify()
        if global.json {
            try global.output.document(result)
        } else if result.ok {
            global.output.line("The audit chain is intact: \(result.blocks) blocks, \(result.events) events.")
        }
        guard result.ok else {
            var where_ = ""
            if let block = result.brokenBlock { where_ += " at block \(block)" }
            if let event = result.brokenEvent { where_ += ", event \(event)" }
            throw CLIFailure(
                exit: .invalidData,
                field: "audit",
                message: "the audit chain is broken\(where_): \(result.problem ?? "hash mismatch")"
            )
        }
    }
}
