import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// The alert outbox (migration 0012) against a real school: the sweep's transaction writes one delivery per
/// transition and configured channel, claims are exclusive, outcomes are recorded, and people see and redeliver
/// only their own schools' deliveries, each login as the database lets it.
@Suite("Alert outbox", .serialized)
struct DeliveryStoreTests {
    static let database = Result { try TestDatabase.create(suite: "outbox") }
    static let school = Result { () throws -> SweepSchool in
        let database = try DeliveryStoreTests.database.get()
        let school = try SweepSchool(database: database)
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        try owner.query(
            "SELECT inclusion.staff_add($1, 'Ada Admin', 'admin', '{}'::integer[], 'ada@trust.example', NULL)",
            [database.login("ada")]
        )
        try owner.query(
            "UPDATE inclusion.staff SET email = 'sam@school.example' WHERE login = $1",
            [database.login("sam")]
        )
        return school
    }

    func service() throws -> Connection {
        let database = try Self.database.get()
        return try database.connect(as: database.daemonLogin)
    }

    func count(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws -> Int {
        let database = try Self.database.get()
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        return try firstValue(owner, sql, parameters)
    }

    /// One story in order: each step builds on the last (Swift Testing does not promise an order between tests).
    @Test func theOutboxFromSweepToDelivery() throws {
        try theSweepWritesDeliveriesForConfiguredChannelsAndTheyAreClaimedOnce()
        try peopleSeeTheirOwnSchoolsDeliveriesAndRedeliverThem()
        try aGoneEndpointIsDisabledUntilAnAdminEnablesIt()
        try theDigestListsEachSENCOsOpenAlerts()
    }

    func theSweepWritesDeliveriesForConfiguredChannelsAndTheyAreClaimedOnce() throws {
        let school = try Self.school.get()
        let database = school.database
        let service = try service()
        defer { service.close() }
        let store = DeliveryStore(connection: service)
        try store.recordChannels(["email", "webhook:hub"])
        let summary = try school.sweep(asOf: "2026-03-10")
        #expect(summary.raised == 10)

        // Every raise to the webhook; email only for the two critical ones (the rest wait for the digest).
        #expect(try count("SELECT count(*)::integer FROM inclusion.alert_delivery WHERE channel = 'webhook:hub'") == 10)
        #expect(
            try count(
                """
                SELECT count(*)::integer FROM inclusion.alert_delivery d JOIN inclusion.alert a ON a.id = d.alert_id
                WHERE d.channel = 'email' AND a.severity = 'critical' AND d.event = 'alert.raised'
                """
            ) == 2
        )
        #expect(try count("SELECT count(*)::integer FROM inclusion.alert_delivery WHERE channel = 'email'") == 2)

        // Claims are exclusive while the lease holds: a second sender gets none of them.
        let first = try store.claim(channels: ["email", "webhook:hub"], limit: 100, lease: .seconds(60), instance: 1)
        #expect(first.count == 12)
        let other = try service2()
        defer { other.close() }
        #expect(
            try DeliveryStore(connection: other).claim(
                channels: ["email", "webhook:hub"],
                limit: 100,
                lease: .seconds(60),
                instance: 2
            ).isEmpty
        )
        #expect(first.allSatisfy { $0.attempts == 1 })
        let email = try #require(first.first { $0.channel == "email" })
        #expect(email.pupil == "Sam S.")
        #expect(email.schoolName == "Sweep Primary")
        #expect(email.severity == "critical")
        #expect(try store.emailRecipients(school: email.schoolID, includeAdmins: false) == ["sam@school.example"])
        #expect(
            try store.emailRecipients(school: email.schoolID, includeAdmins: true)
                == ["ada@trust.example", "sam@school.example"]
        )

        // Outcomes: delivered, retried later, dead.
        let webhooks = first.filter { $0.channel == "webhook:hub" }
        try store.delivered(webhooks[0].id)
        try store.retry(webhooks[1].id, after: .seconds(3600), reason: "HTTP 503")
        try store.dead(webhooks[2].id, reason: "HTTP 500; gave up after 8 attempts")
        for delivery in first where !webhooks.prefix(3).map(\.id).contains(delivery.id) {
            try store.delivered(delivery.id)
        }
        #expect(try count("SELECT count(*)::integer FROM inclusion.alert_delivery WHERE state = 'pending'") == 1)
        // The retried one is not due for an hour: nothing to claim, and the wait is about that hour.
        #expect(try store.claim(channels: ["webhook:hub"], limit: 10, lease: .seconds(60), instance: 1).isEmpty)
        let wait = try #require(try store.nextDue(channels: ["webhook:hub"]))
        #expect(wait > .seconds(3500) && wait <= .seconds(3600))
        _ = database
    }

    func peopleSeeTheirOwnSchoolsDeliveriesAndRedeliverThem() throws {
        let school = try Self.school.get()
        let database = school.database
        let dead = try #require(
            try DeliveryStore(connection: database.connect(as: database.login("sam"))).list(dead: true).first
        )
        #expect(dead.state == "dead")
        #expect(dead.lastError == "HTTP 500; gave up after 8 attempts")
        #expect(dead.schoolURN == 700001)

        // The SENCO of another school sees only that school's (its term-dates-missing alert), and cannot redeliver
        // this one: "not found", as for no row.
        let rob = try database.connect(as: database.login("rob"))
        defer { rob.close() }
        #expect(try DeliveryStore(connection: rob).list(dead: false, all: true).map(\.schoolURN) == [700002])
        #expect(throws: StoreError.self) { try DeliveryStore(connection: rob).redeliver(dead.id) }
        // Staff and governors may not read deliveries at all.
        for login in ["tia", "gov"] {
            let connection = try database.connect(as: database.login(login))
            defer { connection.close() }
            #expect(throws: StoreError.self) { try DeliveryStore(connection: connection).list(dead: false) }
            #expect(throws: StoreError.self) { try DeliveryStore(connection: connection).redeliver(dead.id) }
        }
        // Nobody writes deliveries directly, not even the service: the outbox trigger does.
        let service = try service()
        defer { service.close() }
        #expect(throws: PostgresError.self) {
            try service.query(
                "INSERT INTO inclusion.alert_delivery (school_id, alert_id, transition_id, channel, event) VALUES (1, 1, 1, 'email', 'alert.raised')"
            )
        }
        #expect(throws: PostgresError.self) { try service.query("SELECT inclusion.alert_outbox()") }

        // The school's SENCO redelivers it: pending again, due now, attempts from the start, the same id.
        let sam = try database.connect(as: database.login("sam"))
        defer { sam.close() }
        try DeliveryStore(connection: sam).redeliver(dead.id)
        let again = try DeliveryStore(connection: service).claim(
            channels: ["webhook:hub"],
            limit: 10,
            lease: .seconds(60),
            instance: 1
        )
        #expect(again.map(\.id) == [dead.id])
        #expect(again.first?.attempts == 1)
        try DeliveryStore(connection: service).delivered(dead.id)
    }

    func aGoneEndpointIsDisabledUntilAnAdminEnablesIt() throws {
        let school = try Self.school.get()
        let database = school.database
        let service = try service()
        defer { service.close() }
        let store = DeliveryStore(connection: service)

        // A resolution by a person is delivered too (alert_act inserts the transition).
        let sam = try database.connect(as: database.login("sam"))
        defer { sam.close() }
        let caseStale = try school.alertID(rule: "case-stale")
        try AlertStore(connection: sam).act(Int64(caseStale), .resolve, reason: "Notes are on paper this term")
        let resolved = try store.claim(channels: ["webhook:hub"], limit: 10, lease: .seconds(60), instance: 1)
        #expect(resolved.map(\.event) == ["alert.resolved"])
        #expect(resolved.first?.alertID == Int64(caseStale))

        // 410: the endpoint is disabled and its delivery waits; new alerts add nothing for it.
        let gone = try #require(resolved.first)
        try store.disable(channel: "webhook:hub", deliveryID: gone.id, reason: "HTTP 410")
        #expect(try store.claim(channels: ["webhook:hub"], limit: 10, lease: .seconds(60), instance: 1).isEmpty)
        let planReview = try school.alertID(rule: "plan-review-due")
        try AlertStore(connection: sam).act(Int64(planReview), .resolve, reason: "Reviewed early")
        #expect(
            try count(
                "SELECT count(*)::integer FROM inclusion.alert_delivery WHERE alert_id = $1 AND event = 'alert.resolved'",
                [planReview]
            ) == 0
        )

        // Only an admin enables it; then the waiting delivery goes out under its own id.
        #expect(throws: StoreError.self) { try DeliveryStore(connection: sam).enableWebhook("hub") }
        let ada = try database.connect(as: database.login("ada"))
        defer { ada.close() }
        #expect(throws: StoreError.self) { try DeliveryStore(connection: ada).enableWebhook("nothing-here") }
        #expect(try DeliveryStore(connection: ada).enableWebhook("hub"))
        #expect(try DeliveryStore(connection: ada).enableWebhook("hub") == false)
        // Enabling also brings forward the delivery waiting an hour for its retry: the receiver is back.
        let resumed = try store.claim(channels: ["webhook:hub"], limit: 10, lease: .seconds(60), instance: 1)
        #expect(resumed.count == 2)
        #expect(resumed.first { $0.id == gone.id }?.attempts == 2)
        for delivery in resumed { try store.delivered(delivery.id) }

        // A channel no longer configured gets no new deliveries.
        try store.recordChannels(["email"])
        let channels = try DeliveryStore(connection: ada).channels()
        #expect(channels.map(\.name) == ["email", "webhook:hub"])
        #expect(channels.map(\.configured) == [true, false])
    }

    func theDigestListsEachSENCOsOpenAlerts() throws {
        let school = try Self.school.get()
        let service = try service()
        defer { service.close() }
        let digests = try DeliveryStore(connection: service).digests()
        // Sam has an email address; Rob (the other school) has none, so gets no digest.
        #expect(digests.map(\.email) == ["sam@school.example"])
        let items = try #require(digests.first?.items)
        #expect(!items.isEmpty)
        #expect(items.allSatisfy { $0.schoolName == "Sweep Primary" })
        #expect(!items.contains { $0.rule == .caseStale })  // resolved above
        let text = try #require(AlertEmail.digest(recipient: "Sam", items: items, asOf: try Day(iso: "2026-03-10")))
        #expect(text.body.hasPrefix("Good morning Sam,"))
        _ = school
    }

    func service2() throws -> Connection { try service() }
}
