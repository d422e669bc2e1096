import Foundation
import InclusionDaemon
import InclusionTestSupport
import Logging
import Postgres
import ServiceLifecycle
import Testing

/// The daemon assembled in-process by the function `main` calls: start-up, the services, and a clean stop. Every
/// libpq call runs in this process, so in a debug build the confinement check would stop it if one ran off its
/// connection's queue.
@Suite("The daemon's service group, in-process")
struct ServiceGroupTests {
    static let harness = Result { try DaemonHarness.create(suite: "servicegroup") }

    static func configuration(_ harness: DaemonHarness, instance: String) -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        configuration.databaseURL = harness.database.conninfo(as: harness.database.daemonLogin)
        configuration.instanceName = instance
        configuration.heartbeat = ConfigDuration(milliseconds: 200)
        configuration.httpListen = nil
        configuration.startTimeout = ConfigDuration(seconds: 5)
        for name in configuration.jobs.keys { configuration.jobs[name]?.schedule = nil }
        return configuration
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func theGroupRegistersBeatsAndRecordsItsStop() async throws {
        let harness = try Self.harness.get()
        let group = try await Daemon.buildServiceGroup(
            configuration: Self.configuration(harness, instance: "in-process"),
            configPath: nil,
            databaseOverride: nil,
            logger: Self.logger,
            gracefulShutdownSignals: []
        )
        let owner = try harness.connect()
        defer { owner.close() }
        func instance() throws -> (beats: Bool, stopped: Bool) {
            let row = try #require(
                try owner.query(
                    """
                    SELECT heartbeat_at > started_at + interval '150 milliseconds', stopped_at IS NOT NULL FROM inclusion.daemon_instance
                    WHERE name = 'in-process'
                    """
                ).first
            )
            return (try row.decode(Bool.self, 0), try row.decode(Bool.self, 1))
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await eventually(timeout: .seconds(10)) { try instance().beats })
            #expect(try instance().stopped == false)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try instance().stopped)
    }

    @Test func aSchemaOwnerLoginIsRefusedWithExit78() async throws {
        let harness = try Self.harness.get()
        var configuration = Self.configuration(harness, instance: "owner")
        configuration.databaseURL = harness.database.conninfo(as: harness.database.owner)
        let error = await #expect(throws: DaemonStartError.self) {
            _ = try await Daemon.buildServiceGroup(
                configuration: configuration,
                configPath: nil,
                databaseOverride: nil,
                logger: Self.logger,
                gracefulShutdownSignals: []
            )
        }
        #expect(error?.exit == .configuration)
    }
}
