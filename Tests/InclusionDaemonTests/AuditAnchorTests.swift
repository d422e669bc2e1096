import Foundation
import InclusionDaemon
import InclusionTestSupport
import Postgres
import Testing

/// The `audit-anchor` job's journal line carries the chain head as `anchor=BLOCK:HASH`, ready to paste into
/// `inclusionctl audit verify --anchor`.
@Suite("Audit anchor")
struct AuditAnchorTests {
    @Test func theAnchorLineCarriesACopyPasteableBlockAndHash() async throws {
        let harness = try DaemonHarness.create(suite: "auditanchor")
        let owner = try harness.connect()
        defer { owner.close() }
        // Audited writes: two statements, two blocks.
        try owner.query("INSERT INTO inclusion.school (urn, name, la_number) VALUES (100001, 'A', 201)")
        try owner.query("INSERT INTO inclusion.school (urn, name, la_number) VALUES (100002, 'B', 202)")
        let head = try owner.query("SELECT block, hash, events FROM inclusion.audit_head()")[0]
        let block = try head.decode(Int64.self, 0)
        let hash = try head.decode(String.self, 1)
        let events = try head.decode(Int64.self, 2)
        #expect(block >= 2)
        #expect(events >= 2)

        let daemon = try DaemonProcess(
            arguments: ["--config", try harness.config(instance: "anchor", jobs: ""), "--run-once", "audit-anchor"],
            name: "anchor"
        )
        #expect(await daemon.waitForExit(timeout: .seconds(60)) == 0, "\(daemon.log)")
        let line = try #require(daemon.log.split(separator: "\n").first { $0.contains("audit anchor") })
        #expect(line.hasPrefix("<5>audit anchor "))
        let fields = line.split(separator: " ").map(String.init)
        #expect(fields.contains("anchor=\(block):\(hash)"), "\(line)")
        #expect(fields.contains("audit.block=\(block)"))
        #expect(fields.contains("audit.events=\(events)"))
        // Exactly BLOCK:HEX, unquoted, so it can be pasted as it stands.
        let anchor = try #require(fields.first { $0.hasPrefix("anchor=") }).dropFirst("anchor=".count)
        let parts = anchor.split(separator: ":", omittingEmptySubsequences: false)
        #expect(parts.count == 2)
        #expect(Int64(parts[0]) == block)
        #expect(parts[1].count == 64)
        #expect(parts[1].allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(AuditAnchorJob.anchor(block: block, hash: hash) == "\(block):\(hash)")
    }
}
