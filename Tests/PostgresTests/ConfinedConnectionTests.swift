import Foundation
import InclusionTestSupport
import Postgres
import Synchronization
import Testing

/// A connection that escaped its queue, for the exit test that proves the confinement check stops the process.
nonisolated(unsafe) private var escapedConnection: Connection?

/// The events a confined connection reported, in order.
final class EventLog: Sendable {
    private let names = Mutex<[String]>([])

    func append(_ event: ConfinedConnection.Event) {
        let name =
            switch event {
            case .connected(let reconnect): reconnect ? "reconnected" : "connected"
            case .deadlineOverran: "deadline"
            case .failed: "failed"
            }
        names.withLock { $0.append(name) }
    }

    var all: [String] { names.withLock { $0 } }
}

@Suite("A confined connection: its own queue, deadlines, cancellation, reconnection")
struct ConfinedConnectionTests {
    static func confined(
        statementTimeout: Duration? = nil,
        deadlineGrace: Duration = .seconds(5),
        events: EventLog? = nil
    ) throws -> ConfinedConnection {
        let database = try WrapperDatabase.shared.get()
        var configuration = ConfinedConnection.Configuration(
            conninfo: database.conninfo(as: database.owner),
            statementTimeout: statementTimeout,
            lockTimeout: .seconds(1)
        )
        configuration.deadlineGrace = deadlineGrace
        configuration.backoff = ReconnectBackoff(initial: .milliseconds(10), cap: .milliseconds(50))
        return ConfinedConnection(configuration, label: "test", logger: WrapperDatabase.logger) { event in
            events?.append(event)
        }
    }

    @Test func theSessionTimeoutsAreSetOnEveryConnection() async throws {
        let confined = try Self.confined(statementTimeout: .seconds(7))
        let settings = try await confined.withConnection { connection in
            let row = try #require(
                try connection.query("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
                    .first
            )
            return [try row.decode(String.self, 0), try row.decode(String.self, 1)]
        }
        #expect(settings == ["7s", "1s"])
        await confined.close()
    }

    @Test func aStatementPastItsClientDeadlineIsCancelled() async throws {
        let events = EventLog()
        let confined = try Self.confined(
            statementTimeout: .milliseconds(200),
            deadlineGrace: .milliseconds(300),
            events: events
        )
        // Connect first, so the clock below measures the deadline and not a connection set up on a loaded machine.
        _ = try await confined.withConnection { try $0.query("SELECT 1").count }
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await confined.withConnection { connection in
                // The server's own deadline is lifted, as on a half-open connection that never answers.
                try connection.query("SET statement_timeout = 0")
                _ = try connection.query("SELECT pg_sleep(30)").count
            }
        }
        #expect(error?.code == .queryCanceled)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(events.all.contains("deadline"))
        // The connection is still usable afterwards.
        #expect(try await confined.withConnection { try $0.query("SELECT 1").count } == 1)
        await confined.close()
    }

    @Test func cancellingTheCallingTaskCancelsItsStatement() async throws {
        let confined = try Self.confined()
        _ = try await confined.withConnection { try $0.query("SELECT 1").count }
        let running = Mutex(false)
        let sleeper = Task {
            try await confined.withConnection { connection in
                running.withLock { $0 = true }
                return try connection.query("SELECT pg_sleep(30)").count
            }
        }
        // Cancelled only once the closure runs on the connection's queue (a loaded machine may take longer than any
        // fixed pause to get there; a task cancelled before it starts never sends its statement at all).
        let waitLimit = ContinuousClock.now + .seconds(20)
        while !running.withLock({ $0 }) && ContinuousClock.now < waitLimit {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        sleeper.cancel()
        let error = await #expect(throws: PostgresError.self) { try await sleeper.value }
        #expect(error?.code == .queryCanceled)
        #expect(ContinuousClock.now - started < .seconds(10))
        await confined.close()
    }

    @Test(arguments: [0, 1, 2, 5, 10, 20])
    func aCancelAtAnyMomentEndsTheStatementSoon(delayMilliseconds: Int) async throws {
        let confined = try Self.confined()
        _ = try await confined.withConnection { try $0.query("SELECT 1").count }
        let sleeper = Task {
            try await confined.withConnection { connection in try connection.query("SELECT pg_sleep(30)").count }
        }
        try await Task.sleep(for: .milliseconds(delayMilliseconds))
        let started = ContinuousClock.now
        sleeper.cancel()
        // Whether the cancel lands before the statement starts or while it runs, the call ends with an error soon.
        let result = await sleeper.result
        #expect((try? result.get()) == nil)
        #expect(ContinuousClock.now - started < .seconds(10))
        // And the connection still works.
        #expect(try await confined.withConnection { try $0.query("SELECT 1").count } == 1)
        await confined.close()
    }

    @Test func aLostConnectionIsDroppedAndTheNextCallReconnects() async throws {
        let events = EventLog()
        let confined = try Self.confined(events: events)
        let first = try await confined.withConnection { $0.backendPID }
        let owner = try WrapperDatabase.owner()
        defer { owner.close() }
        try owner.query("SELECT pg_terminate_backend($1)", [Int(first)])
        let lost = await #expect(throws: PostgresError.self) {
            try await confined.withConnection { try $0.query("SELECT 1").count }
        }
        #expect(lost?.code == .connectionLost)
        let second = try await confined.withConnection { $0.backendPID }
        #expect(second != first)
        #expect(events.all == ["connected", "failed", "reconnected"])
        await confined.close()
    }

    // The check is compiled into debug builds only.
    #if DEBUG
        @Test func aConfinedConnectionUsedOffItsQueueStopsTheProcess() async throws {
            await #expect(processExitsWith: .signal(SIGILL)) {
                let conninfo = ProcessInfo.processInfo.environment["INCLUSION_TEST_DATABASE"] ?? ""
                let confined = try await ConfinedConnection.connect(conninfo: conninfo, logger: WrapperDatabase.logger)
                try await confined.withConnection { connection in escapedConnection = connection }
                // Off the queue: the debug build's confinement check stops the process here (dispatch traps: SIGILL).
                _ = escapedConnection?.isOpen
            }
        }
    #endif
}

@Suite("Reconnection backoff")
struct ReconnectBackoffTests {
    @Test func theWaitDoublesFromTheInitialUpToTheCap() {
        let backoff = ReconnectBackoff(initial: .milliseconds(100), cap: .seconds(5))
        let waits = (1...9).map { backoff.delay(afterFailures: $0) }
        #expect(
            waits == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { Duration.milliseconds($0) }
        )
        #expect(backoff.delay(afterFailures: 1000) == .seconds(5))
    }

    @Test func anAttemptWaitsUntilTheBackoffHasPassedAndASuccessResetsIt() {
        var backoff = ReconnectBackoff(initial: .seconds(1), cap: .seconds(5))
        let now = ContinuousClock.now
        #expect(backoff.allowsAttempt(at: now))
        #expect(backoff.failed(at: now) == .seconds(1))
        #expect(!backoff.allowsAttempt(at: now + .milliseconds(999)))
        #expect(backoff.allowsAttempt(at: now + .seconds(1)))
        #expect(backoff.failed(at: now + .seconds(1)) == .seconds(2))
        backoff.succeeded()
        #expect(backoff.failures == 0)
        #expect(backoff.allowsAttempt(at: now))
    }
}
