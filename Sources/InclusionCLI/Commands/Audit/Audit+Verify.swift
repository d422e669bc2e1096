import ArgumentParser
import InclusionStore

extension Inclusionctl.Audit {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute every audit hash and name the first broken link (exit 65 if there is one)."
        )

        @ParentCommand var inclusionctl: Inclusionctl
        var global: GlobalOptions { inclusionctl.global }

        @Option(
            help: ArgumentHelp(
                "A block and its hash that the daemon's audit-anchor job logged earlier (its anchor=BLOCK:HASH field): "
                    + "the chain must still hold that block with that hash, which catches a rewritten or emptied tail.",
                valueName: "block:hash"
            )
        )
        var anchor: String?

        func run() throws {
            var parsed: AuditAnchor?
            if let anchor {
                guard let value = AuditAnchor(anchor) else {
                    throw CLIFailure(
                        exit: .usage,
                        field: "anchor",
                        message: "an anchor is BLOCK:HASH, a block number and 64 hexadecimal digits, as the "
                            + "audit-anchor job logs it"
                    )
                }
                parsed = value
            }
            let result = try AuditStore(connection: try global.connect(limits: .bulk)).verify(anchor: parsed)
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
}
