import Foundation
import InclusionTestSupport
import Postgres
import Testing

@Suite("LISTEN and NOTIFY")
struct NotificationTests {
    @Test func aNotifyFromAnotherConnectionArrivesWithItsPayload() throws {
        let listener = try WrapperDatabase.owner()
        let sender = try WrapperDatabase.owner()
        try listener.listen("inclusion_alert")
        try sender.query("SELECT pg_notify('inclusion_alert', $1)", ["alert 42 ✓"])
        let received = try listener.notifications(timeout: .seconds(5))
        #expect(received.count == 1)
        #expect(received.first?.channel == "inclusion_alert")
        #expect(received.first?.payload == "alert 42 ✓")
        #expect(received.first?.senderPID == sender.backendPID)
    }

    @Test func aNotifyArrivingDuringTheWaitEndsIt() throws {
        let listener = try WrapperDatabase.owner()
        try listener.listen("late_channel")
        let database = try WrapperDatabase.shared.get()
        let conninfo = database.conninfo(as: database.owner)
        let sent = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { sent.signal() }
            guard let sender = try? Connection(conninfo: conninfo, logger: WrapperDatabase.logger) else { return }
            Thread.sleep(forTimeInterval: 0.3)
            _ = try? sender.query("NOTIFY late_channel, 'wake'")
        }
        let started = ContinuousClock.now
        var received: [PostgresNotification] = []
        while received.isEmpty && ContinuousClock.now - started < .seconds(10) {
            received = try listener.notifications(timeout: .seconds(10))
        }
        sent.wait()
        #expect(received.map(\.payload) == ["wake"])
        #expect(ContinuousClock.now - started < .seconds(9))
    }

    @Test func withNothingSentTheWaitReturnsEmptyAfterTheTimeout() throws {
        let listener = try WrapperDatabase.owner()
        try listener.listen("quiet_channel")
        let started = ContinuousClock.now
        let received = try listener.notifications(timeout: .milliseconds(400))
        let waited = ContinuousClock.now - started
        #expect(received.isEmpty)
        #expect(waited >= .milliseconds(350))
        #expect(waited < .seconds(3))
    }

    @Test func channelNamesAreQuotedNotSpliced() throws {
        let listener = try WrapperDatabase.owner()
        let sender = try WrapperDatabase.owner()
        let channel = #"Mixed "Case"; DROP SCHEMA inclusion CASCADE; --"#
        try listener.listen(channel)
        try sender.query("SELECT pg_notify($1, 'quoted')", [channel])
        let received = try listener.notifications(timeout: .seconds(5))
        #expect(received.map(\.channel) == [channel])
        #expect(try WrapperDatabase.value(sender, "SELECT to_regnamespace('inclusion') IS NOT NULL") as Bool)
        try listener.unlisten(channel)
        try sender.query("SELECT pg_notify($1, 'after unlisten')", [channel])
        #expect(try listener.notifications(timeout: .milliseconds(200)).isEmpty)
    }
}
