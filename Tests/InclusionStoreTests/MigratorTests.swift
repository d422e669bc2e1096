import Foundation
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

@Suite("Migrations")
struct MigratorTests {
    static let database = Result { try TestDatabase.create(suite: "migrator") }

    @Test func everyEmbeddedMigrationIsAppliedOnce() throws {
        let database = try Self.database.get()
        let connection = try database.connect(as: database.owner)
        let report = try Migrator(connection: connection).status()
        #expect(report.schemaVersion == Migration.currentVersion)
        #expect(report.migrations.allSatisfy { $0.state == .applied })
        #expect(report.rolePrefix == database.name)
        // A second run applies nothing.
        #expect(try Migrator(connection: connection).migrate(rolePrefix: nil, daemonLogin: database.daemonLogin) == [])
    }

    @Test func embeddedMigrationsMatchTheFilesInSQL() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("sql")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
            .sorted()
        #expect(files == Migration.embedded.map(\.name))
        for migration in Migration.embedded {
            var text = try String(contentsOf: directory.appendingPathComponent(migration.name), encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            #expect(text == migration.sql, "run scripts/embed-sql.sh: \(migration.name) differs from its embedded copy")
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() throws {
        let database = try Self.database.get()
        let connection = try database.connect(as: database.owner)
        var edited = Migration.embedded
        edited[2] = Migration(name: edited[2].name, sql: edited[2].sql + "\n-- edited")
        let error = #expect(throws: StoreError.self) {
            try Migrator(connection: connection, migrations: edited).migrate(rolePrefix: nil, daemonLogin: "x")
        }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains(edited[2].name) == true)
    }

    @Test func aLoginThatDoesNotOwnTheDatabaseCannotMigrate() throws {
        let database = try Self.database.get()
        let connection = try database.connect(as: database.daemonLogin)
        let error = #expect(throws: StoreError.self) {
            try Migrator(connection: connection).migrate(rolePrefix: nil, daemonLogin: "x")
        }
        #expect(error?.kind == .permissionDenied)
    }
}
