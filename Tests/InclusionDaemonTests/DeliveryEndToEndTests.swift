import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import NIOHTTP1
import Postgres
import Testing

/// The alert outbox end to end through the real `inclusiond`: a review sweep's alerts reach a loopback webhook
/// receiver signed, once per delivery id, and a fake sendmail; failed attempts are retried on the schedule, a used-up
/// schedule is dead until `alert redeliver`, a 410 disables the endpoint until `alert webhook enable`, and a daemon
/// killed mid-send leaves nothing undelivered (at least once, duplicates only as repeats of the same id).
@Suite("Alert delivery end to end", .serialized)
struct DeliveryEndToEndTests {
    @Test func signedWebhooksCarryOneEventPerRaisedAlertAndNoPupilData() async throws {
        let harness = try DaemonHarness.create(suite: "delivery_signed")
        let school = try DeliverySchool(harness: harness, urn: 720_001, name: "Hook Primary")
        let pupils = try [("Zelda", "Quorn"), ("Yusuf", "Pryce"), ("Xanthe", "Olmos")].enumerated().map {
            try school.addUnplannedPupil(serial: $0.offset + 1, given: $0.element.0, family: $0.element.1)
        }
        let receiver = try await WebhookReceiver.start(reply: .status(200))
        let daemon = try await startDaemon(harness, "signed", alerts: try webhookAlerts(receiver))
        let startedAt = Date()

        let run = try harness.requestRun("review-sweep")
        let settled = try await eventually(timeout: .seconds(20)) {
            let rows = try harness.deliveries()
            return try harness.run(run).state == "succeeded" && rows.count == 4
                && rows.allSatisfy { $0.state == "delivered" }
        }
        #expect(settled, "\(report(harness, daemon, receiver))")

        // One delivery per raised alert, each delivered on its first attempt.
        let alerts = try harness.alerts()
        #expect(
            alerts.values.map(\.rule).sorted() == [
                "sen-without-plan", "sen-without-plan", "sen-without-plan", "term-dates-missing",
            ]
        )
        let rows = try harness.deliveries()
        #expect(Set(rows.map(\.alertID)) == Set(alerts.keys))
        #expect(rows.allSatisfy { $0.channel == "webhook:hub" && $0.event == "alert.raised" && $0.attempts == 1 })

        // One POST per delivery, its webhook-id the delivery's id, signed, with the alert's ids and codes only.
        let requests = receiver.requests
        #expect(requests.count == rows.count, "\(report(harness, daemon, receiver))")
        #expect(Set(requests.compactMap(\.webhookID)) == Set(rows.map(\.id)))
        let forbidden = pupils.flatMap { [$0.upn, $0.given, $0.family] }
        for request in requests {
            #expect(request.method == .POST)
            #expect(request.uri == "/hooks/inclusion")
            #expect(request.headers.first(name: "content-type") == "application/json")
            #expect(WebhookTransportTests.signatureIsValid(request), "bad signature on \(request.webhookID ?? "?")")
            let stamp = try #require(request.headers.first(name: "webhook-timestamp").flatMap { Double($0) })
            #expect(abs(stamp - startedAt.timeIntervalSince1970) < 120)
            let row = try #require(rows.first { $0.id == request.webhookID })
            let alert = try #require(alerts[row.alertID])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(Set(json.keys) == ["type", "timestamp", "data"])
            let data = try #require(json["data"] as? [String: Any])
            #expect(Set(data.keys) == ["alert_id", "rule", "school_urn", "due_on", "severity"])
            let event = try JSONDecoder().decode(EventBody.self, from: Data(request.body))
            #expect(event.type == "alert.raised")
            #expect(event.data.alertID == row.alertID)
            #expect(event.data.rule == alert.rule)
            #expect(event.data.schoolURN == 720_001)
            #expect(event.data.dueOn == alert.dueOn)
            #expect(event.data.severity == alert.severity)
            let text = String(decoding: request.body, as: UTF8.self)
            for word in forbidden { #expect(!text.contains(word), "the payload names a pupil: \(text)") }
        }
        await daemon.stop()
        try await receiver.close()
    }

    @Test func aReceiverDownIsRetriedOnTheScheduleUntilItIsUp() async throws {
        let harness = try DaemonHarness.create(suite: "delivery_retry")
        let school = try DeliverySchool(harness: harness, urn: 720_002, name: "Retry Primary")
        for serial in 1...2 { _ = try school.addUnplannedPupil(serial: serial) }
        let receiver = try await WebhookReceiver.start(reply: .status(503))
        let daemon = try await startDaemon(
            harness,
            "retry",
            alerts: try webhookAlerts(receiver, schedule: "[1s, 1s, 1s, 1s, 1s, 1s]")
        )

        _ = try harness.requestRun("review-sweep")
        // Down: every delivery stays pending, tried again about once a second, with the status as its last error.
        let failing = try await eventually(timeout: .seconds(20)) {
            let rows = try harness.deliveries()
            // At least two attempts made and recorded (a claim counts its attempt before the request is sent).
            return rows.count == 3 && rows.allSatisfy { $0.state == "pending" && $0.attempts >= 2 && !$0.claimed }
        }
        #expect(failing, "\(report(harness, daemon, receiver))")
        let down = try harness.deliveries()
        #expect(down.allSatisfy { $0.lastError == "HTTP 503" && $0.finishedAt == false }, "\(down)")

        // Up: each goes out under the id it had.
        receiver.set(.status(200))
        let delivered = try await eventually(timeout: .seconds(20)) {
            try harness.deliveries().allSatisfy { $0.state == "delivered" }
        }
        #expect(delivered, "\(report(harness, daemon, receiver))")
        let rows = try harness.deliveries()
        let seen = receiver.requests.compactMap(\.webhookID)
        #expect(seen.count == receiver.requests.count, "a request without a webhook-id")
        #expect(Set(seen) == Set(rows.map(\.id)))
        // Every attempt reached the receiver under the delivery's id: repeats of one id, nothing else.
        for row in rows {
            #expect(seen.filter { $0 == row.id }.count == row.attempts, "\(row)")
            #expect(row.attempts >= 3, "\(row)")
        }
        await daemon.stop()
        try await receiver.close()
    }

    @Test func aUsedUpScheduleIsDeadUntilRedelivered() async throws {
        let harness = try DaemonHarness.create(suite: "delivery_dead")
        let school = try DeliverySchool(harness: harness, urn: 720_003, name: "Dead Primary")
        _ = try school.addUnplannedPupil(serial: 1)
        let receiver = try await WebhookReceiver.start(reply: .status(503))
        let daemon = try await startDaemon(harness, "dead", alerts: try webhookAlerts(receiver, schedule: "[1s]"))

        _ = try harness.requestRun("review-sweep")
        // [1s]: the first attempt and one more, then dead.
        let dead = try await eventually(timeout: .seconds(20)) {
            let rows = try harness.deliveries()
            return rows.count == 2 && rows.allSatisfy { $0.state == "dead" }
        }
        #expect(dead, "\(report(harness, daemon, receiver))")
        #expect(receiver.requests.count == 4)

        // An admin sees them with `alert deliveries --dead --json`.
        let listed = try ctl(harness, ["alert", "deliveries", "--dead", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let items = try #require(try listed.json()["items"] as? [[String: Any]])
        let rows = try harness.deliveries()
        #expect(Set(items.compactMap { $0["id"] as? String }) == Set(rows.map(\.id)))
        for item in items {
            #expect(item["state"] as? String == "dead")
            #expect(item["channel"] as? String == "webhook:hub")
            #expect(item["attempts"] as? Int == 2)
            #expect(item["last_error"] as? String == "HTTP 503; gave up after 2 attempts")
            #expect(item["school_urn"] as? Int == 720_003)
            #expect(item["finished_at"] is String)
        }

        // The receiver is up; one is redelivered, under its id, and the other stays dead.
        receiver.set(.status(200))
        let target = try #require(rows.first?.id)
        let redeliver = try ctl(harness, ["alert", "redeliver", target])
        #expect(redeliver.status == 0, "\(redeliver.stderr)")
        let redelivered = try await eventually(timeout: .seconds(15)) {
            try harness.deliveries().first { $0.id == target }?.state == "delivered"
        }
        #expect(redelivered, "\(report(harness, daemon, receiver))")
        #expect(receiver.requests.filter { $0.webhookID == target }.count == 3)
        let others = rows.map(\.id).filter { $0 != target }
        #expect(try harness.deliveries().filter { $0.state == "dead" }.map(\.id) == others)
        let still = try ctl(harness, ["alert", "deliveries", "--dead", "--json"])
        let stillDead = try #require(try still.json()["items"] as? [[String: Any]])
        #expect(stillDead.compactMap { $0["id"] as? String } == others)
        await daemon.stop()
        try await receiver.close()
    }

    @Test func goneDisablesTheEndpointUntilAnAdminEnablesIt() async throws {
        let harness = try DaemonHarness.create(suite: "delivery_gone")
        let school = try DeliverySchool(harness: harness, urn: 720_004, name: "Gone Primary")
        for serial in 1...2 { _ = try school.addUnplannedPupil(serial: serial) }
        let receiver = try await WebhookReceiver.start(reply: .status(410))
        let daemon = try await startDaemon(harness, "gone", alerts: try webhookAlerts(receiver))

        let first = try harness.requestRun("review-sweep")
        // 410: the channel is disabled, and its deliveries wait, pending and unclaimed.
        let disabled = try await eventually(timeout: .seconds(20)) {
            let rows = try harness.deliveries()
            return try harness.run(first).state == "succeeded" && harness.channelDisabled("webhook:hub") != nil
                && rows.count == 3 && rows.allSatisfy { $0.state == "pending" && !$0.claimed }
        }
        #expect(disabled, "\(report(harness, daemon, receiver))")
        #expect(try harness.channelDisabled("webhook:hub") == "HTTP 410")
        let waiting = try harness.deliveries()
        // Those tried say why they wait (a delivery not yet tried when the channel was disabled is not claimed).
        #expect(waiting.allSatisfy { $0.attempts == 0 || $0.lastError == "HTTP 410" }, "\(waiting)")
        let goneRequests = receiver.requests.count
        #expect(goneRequests == waiting.map(\.attempts).reduce(0, +))
        #expect((1...3).contains(goneRequests))

        // A new alert while disabled: the sweep raises it, but the disabled channel takes no delivery for it
        // (migration 0012's outbox: one per transition a configured, *enabled* channel carries), and nothing is sent.
        _ = try school.addUnplannedPupil(serial: 3)
        let second = try harness.requestRun("review-sweep")
        let swept = try await eventually(timeout: .seconds(20)) { try harness.run(second).state == "succeeded" }
        #expect(swept, "\(daemon.log.suffix(3000))")
        #expect(try harness.alerts().count == 4)
        try await Task.sleep(for: .seconds(2))
        #expect(receiver.requests.count == goneRequests, "\(report(harness, daemon, receiver))")
        #expect(try harness.deliveries().map(\.id).sorted() == waiting.map(\.id).sorted())
        #expect(try harness.deliveries().allSatisfy { $0.state == "pending" })

        // Enabled again by an admin (the receiver is back): the waiting deliveries go out, under their ids.
        receiver.set(.status(200))
        let enable = try ctl(harness, ["alert", "webhook", "enable", "hub", "--json"])
        #expect(enable.status == 0, "\(enable.stderr)")
        #expect(try enable.json()["was_disabled"] as? Bool == true)
        let delivered = try await eventually(timeout: .seconds(15)) {
            try harness.deliveries().allSatisfy { $0.state == "delivered" }
        }
        #expect(delivered, "\(report(harness, daemon, receiver))")
        #expect(try harness.channelDisabled("webhook:hub") == nil)
        let seen = receiver.requests.compactMap(\.webhookID)
        #expect(Set(seen) == Set(waiting.map(\.id)))
        #expect(seen.count == receiver.requests.count)
        #expect(receiver.requests.dropFirst(goneRequests).count == waiting.count)
        await daemon.stop()
        try await receiver.close()
    }

    @Test func killedMidDeliveryThreeTimesNothingIsLostOrInvented() async throws {
        let harness = try DaemonHarness.create(suite: "delivery_kill")
        let school = try DeliverySchool(harness: harness, urn: 720_005, name: "Kill Primary")
        // Each answer is held 1.5 s, so a kill right after a request arrives lands before the daemon hears back.
        let receiver = try await WebhookReceiver.start(reply: .status(200), delay: .milliseconds(1500))
        let alerts = try webhookAlerts(receiver, schedule: "[1s, 1s, 1s, 1s, 1s]", timeout: "3s")
        var daemon = try await startDaemon(harness, "kill-0", alerts: alerts)
        var logs: [String] = []
        var interrupted: [String] = []
        var known: Set<String> = []
        var serial = 0

        for round in 1...3 {
            for _ in 1...2 {
                serial += 1
                _ = try school.addUnplannedPupil(serial: serial)
            }
            _ = try harness.requestRun("review-sweep")
            // Wait for this round's deliveries and for a request carrying one of them, then kill the daemon.
            var fresh: Set<String> = []
            var inFlight: String?
            let arrived = try await eventually(timeout: .seconds(20), every: .milliseconds(20)) {
                fresh = Set(try harness.deliveries().map(\.id)).subtracting(known)
                inFlight = receiver.requests.compactMap(\.webhookID).first { fresh.contains($0) }
                return inFlight != nil
            }
            try #require(arrived, "round \(round): \(report(harness, daemon, receiver))")
            daemon.signal(SIGKILL)
            #expect(await daemon.waitForExit(timeout: .seconds(5)) != nil)
            logs.append(daemon.log)
            known.formUnion(fresh)
            // The answer was still held: the daemon died without recording the outcome, so the delivery is still
            // pending under its claim and must be sent again.
            let row = try #require(try harness.deliveries().first { $0.id == inFlight })
            #expect(row.state == "pending" && row.claimed, "round \(round): \(row)")
            if let inFlight { interrupted.append(inFlight) }
            daemon = try harness.start(
                instance: "kill-\(round)",
                config: harness.config(instance: "kill-\(round)", extra: alerts, jobs: Self.jobs)
            )
        }

        // The last daemon sends what the killed ones left once their claims run out (2 × 3 s + 5 s).
        let settled = try await eventually(timeout: .seconds(45)) {
            let rows = try harness.deliveries()
            return rows.count == 7 && rows.allSatisfy { $0.state == "delivered" }
        }
        #expect(settled, "\(report(harness, daemon, receiver))\n\(logs.joined(separator: "\n").suffix(3000))")
        let rows = try harness.deliveries()
        #expect(try harness.alerts().count == 7)
        let seen = receiver.requests.compactMap(\.webhookID)
        #expect(seen.count == receiver.requests.count, "a request without a webhook-id")
        // Every delivery reached the receiver; every request was a delivery's (repeats only of the same id).
        #expect(Set(seen) == Set(rows.map(\.id)), "seen \(seen.sorted()), rows \(rows.map(\.id).sorted())")
        for id in interrupted {
            #expect(seen.filter { $0 == id }.count >= 2, "\(id) was interrupted but not sent again")
        }
        #expect(seen.count >= rows.count + 1)
        #expect(receiver.requests.allSatisfy(WebhookTransportTests.signatureIsValid))
        print("kill -9 × 3: \(rows.count) deliveries, \(seen.count) requests, \(Set(interrupted).count) interrupted")
        await daemon.stop()
        try await receiver.close()
    }

    @Test func criticalEmailAndTheDigestNameNoNeedNoteOrUPN() async throws {
        let harness = try DaemonHarness.create(suite: "delivery_email")
        let school = try DeliverySchool(harness: harness, urn: 720_006, name: "Brook Primary")
        let owner = try harness.connect()
        defer { owner.close() }
        let senco = harness.database.login("sam")
        let staffID = try owner.query(
            "SELECT inclusion.staff_add($1, 'Sam Brook', 'senco', ARRAY[$2::integer], NULL, NULL)",
            [senco, school.id]
        )[0].decode(Int.self, 0)
        try owner.query("UPDATE inclusion.staff SET email = 'sam.brook@brook.example' WHERE login = $1", [senco])
        // An admin with an address: a raised (not escalated) critical alert goes to the SENCOs only.
        try owner.query("UPDATE inclusion.staff SET email = 'boss@trust.example' WHERE login = $1", [harness.admin])
        let pupil = try school.addEHCPPupil(serial: 1, given: "Ada", family: "Quell")

        let mail = try RecordingSendmail()
        let daemon = try await startDaemon(
            harness,
            "email",
            alerts: """
                alerts:
                  email: { sendmail: "\(mail.path)", from: "inclusion@trust.example" }
                """,
            channels: ["email"]
        )

        // The sweep as of 20 November: the EHC plan's annual review (due by 31 May) is overdue, critical.
        let sweep = try requestRun(harness, "review-sweep", asOf: "2026-11-20")
        let sent = try await eventually(timeout: .seconds(20)) {
            try harness.run(sweep).state == "succeeded" && harness.deliveries().first?.state == "delivered"
        }
        #expect(sent, "\(report(harness, daemon, nil))\n\(mail.messages)")
        let alerts = try harness.alerts()
        func alertID(_ rule: String) throws -> Int64 {
            try #require(alerts.first { $0.value.rule == rule }?.key, "no \(rule) alert in \(alerts)")
        }
        #expect(
            alerts.values.map { "\($0.rule) \($0.dueOn) \($0.severity)" }.sorted() == [
                "case-stale 2026-10-30 info",
                "ehcp-annual-review-overdue 2026-05-31 critical",
                "ehcp-review-meeting-unarranged 2026-05-31 warning",
                "plan-without-provision 2025-06-01 warning",
                "term-dates-missing 2000-01-01 warning",
            ]
        )
        let deliveries = try harness.deliveries()
        #expect(deliveries.count == 1)
        let delivery = try #require(deliveries.first)
        #expect(delivery.channel == "email" && delivery.event == "alert.raised" && delivery.attempts == 1)
        let overdue = try alertID("ehcp-annual-review-overdue")
        #expect(delivery.alertID == overdue)

        let messages = mail.messages
        #expect(messages.count == 1, "\(messages)")
        let urgent = try #require(messages.first)
        #expect(urgent.arguments == "-t -i")
        #expect(urgent.header("From") == "inclusion@trust.example")
        #expect(urgent.header("To") == "sam.brook@brook.example")
        #expect(urgent.header("Subject") == "Urgent: an EHC plan annual review is overdue (Brook Primary)")
        #expect(urgent.header("Message-ID") == "<\(delivery.id)@inclusiond>")
        #expect(
            urgent.body == """
                An urgent alert at Brook Primary needs attention.

                What:  An EHC plan annual review is overdue
                Pupil: Ada Q.
                Due:   Sun 31 May 2026
                Alert: \(overdue)

                See it:      inclusionctl alert show \(overdue)
                Acknowledge: inclusionctl alert ack \(overdue)

                Sent to the school's SENCOs.

                """
        )
        let forbidden = [pupil.upn, pupil.family, "SLCN", "Speech, language", pupil.note, pupil.caseSummary]
        for word in forbidden { #expect(!urgent.text.contains(word), "the email says \(word)") }

        // The digest as of Monday 23 November: one message to the SENCO, lapses only, most overdue first.
        let digest = try requestRun(harness, "digest", asOf: "2026-11-23")
        let digested = try await eventually(timeout: .seconds(20)) { try harness.run(digest).state == "succeeded" }
        #expect(digested, "\(report(harness, daemon, nil))")
        let all = mail.messages
        #expect(all.count == 2, "\(all)")
        let termDates = try alertID("term-dates-missing")
        let withoutProvision = try alertID("plan-without-provision")
        let unarranged = try alertID("ehcp-review-meeting-unarranged")
        let stale = try alertID("case-stale")
        let daily = try #require(all.first { $0.header("Message-ID") != urgent.header("Message-ID") })
        #expect(daily.arguments == "-t -i")
        #expect(daily.header("From") == "inclusion@trust.example")
        #expect(daily.header("To") == "sam.brook@brook.example")
        #expect(daily.header("Message-ID") == "<digest-2026-11-23-\(staffID)@inclusiond>")
        #expect(
            daily.header("Subject") == "Inclusion digest, Mon 23 Nov 2026: 5 overdue or lapsed, 0 due this week"
        )
        #expect(
            daily.body == """
                Good morning Sam Brook,

                Overdue or lapsed (5)
                - Brook Primary: the school's term dates are missing, since 1 Jan [\(termDates)]
                - Ada Q.: a plan has no intervention running, since 1 Jun [\(withoutProvision)]
                - URGENT Ada Q.: an EHC plan annual review is overdue, since 31 May [\(overdue)]
                - Ada Q.: an annual review meeting is not yet arranged, since 31 May \
                [\(unarranged)]
                - Ada Q.: a case has had no notes lately, since 30 Oct [\(stale)]

                The number in brackets is the alert: inclusionctl alert show NUMBER.
                Snoozed alerts are left out until they wake.

                """,
            "\(daily.text)"
        )
        for word in forbidden { #expect(!daily.text.contains(word), "the digest says \(word)") }
        await daemon.stop()
    }

    // MARK: helpers

    /// Jobs beyond the harness's (which turns every schedule off, the digest's included): none.
    static let jobs = ""

    /// `alerts.*` for one webhook endpoint `hub` at `receiver`, signed with the transport tests' secret.
    func webhookAlerts(_ receiver: WebhookReceiver, schedule: String = "[1s, 1s]", timeout: String = "5s") throws
        -> String
    {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent(
            "inclusiond-hub-\(UUID().uuidString).secret"
        )
        try (WebhookTransportTests.secretText + "\n").write(to: secret, atomically: true, encoding: .utf8)
        return """
            alerts:
              retry-schedule: \(schedule)
              webhook-timeout: \(timeout)
              webhooks: [hub]
              webhook:
                hub: { url: "http://127.0.0.1:\(receiver.port)/hooks/inclusion", secret-file: "\(secret.path)" }
            """
    }

    /// Starts a daemon and waits until it is ready and its delivery service has recorded `channels` (the outbox
    /// writes deliveries only for channels it knows, so a sweep before that would deliver nothing).
    func startDaemon(
        _ harness: DaemonHarness,
        _ instance: String,
        alerts: String,
        channels: [String] = ["webhook:hub"]
    ) async throws -> DaemonProcess {
        let daemon = try harness.start(
            instance: instance,
            config: harness.config(instance: instance, extra: alerts, jobs: Self.jobs)
        )
        try #require(await daemon.waitForLog("inclusiond ready", timeout: .seconds(60)), "\(daemon.log)")
        let recorded = try await eventually(timeout: .seconds(10)) {
            try harness.configuredChannels() == channels.sorted()
        }
        try #require(recorded, "\(daemon.log.suffix(3000))")
        return daemon
    }

    func requestRun(_ harness: DaemonHarness, _ job: String, asOf: String) throws -> Int64 {
        let connection = try harness.connect(as: harness.admin)
        defer { connection.close() }
        return try JobStore(connection: connection).requestRun(job: job, asOf: asOf)
    }

    /// `inclusionctl` as the suite's admin.
    func ctl(_ harness: DaemonHarness, _ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.inclusionctl().run(["--database", harness.database.conninfo(as: harness.admin)] + arguments)
    }

    /// What a failed expectation prints: the outbox, what the receiver saw, and the daemon's last words.
    func report(_ harness: DaemonHarness, _ daemon: DaemonProcess, _ receiver: WebhookReceiver?) -> String {
        let rows = ((try? harness.deliveries()) ?? []).map { "\($0)" }.joined(separator: "\n  ")
        let seen = receiver.map { $0.requests.map { $0.webhookID ?? "(no id)" }.joined(separator: " ") } ?? "-"
        return "deliveries:\n  \(rows)\nreceiver saw: \(seen)\ndaemon log:\n\(daemon.log.suffix(4000))"
    }
}

/// One row of `inclusion.alert_delivery`, read as the owner.
struct OutboxRow: Sendable, CustomStringConvertible {
    let id: String
    let alertID: Int64
    let channel: String
    let event: String
    let state: String
    let attempts: Int
    let lastError: String?
    /// Whether a sender holds it (claimed_until in the future).
    let claimed: Bool
    let finishedAt: Bool

    var description: String {
        "\(id) alert \(alertID) \(channel) \(event) \(state) attempts \(attempts) claimed \(claimed) "
            + "last_error \(lastError ?? "-")"
    }
}

/// One alert as a webhook names it.
struct AlertFacts: Sendable {
    let rule: String
    let dueOn: String
    let severity: String
}

extension DaemonHarness {
    func deliveries() throws -> [OutboxRow] {
        let connection = try connect()
        defer { connection.close() }
        return try connection.query(
            """
            SELECT id::text, alert_id, channel, event, state, attempts, last_error,
                   coalesce(claimed_until > now(), false), finished_at IS NOT NULL
            FROM inclusion.alert_delivery ORDER BY created_at, id
            """
        ).map { row in
            OutboxRow(
                id: try row.decode(String.self, 0),
                alertID: try row.decode(Int64.self, 1),
                channel: try row.decode(String.self, 2),
                event: try row.decode(String.self, 3),
                state: try row.decode(String.self, 4),
                attempts: try row.decode(Int.self, 5),
                lastError: try row.decode(String?.self, 6),
                claimed: try row.decode(Bool.self, 7),
                finishedAt: try row.decode(Bool.self, 8)
            )
        }
    }

    func alerts() throws -> [Int64: AlertFacts] {
        let connection = try connect()
        defer { connection.close() }
        var alerts: [Int64: AlertFacts] = [:]
        for row in try connection.query("SELECT id, rule, due_on::text, severity FROM inclusion.alert") {
            alerts[try row.decode(Int64.self, 0)] = AlertFacts(
                rule: try row.decode(String.self, 1),
                dueOn: try row.decode(String.self, 2),
                severity: try row.decode(String.self, 3)
            )
        }
        return alerts
    }

    /// The channel's disabled reason, or nil while it is enabled.
    func channelDisabled(_ name: String) throws -> String? {
        let connection = try connect()
        defer { connection.close() }
        return try connection.query("SELECT disabled_reason FROM inclusion.delivery_channel WHERE name = $1", [name])
            .first?.decode(String?.self, 0) ?? nil
    }

    func configuredChannels() throws -> [String] {
        let connection = try connect()
        defer { connection.close() }
        return try connection.query("SELECT name FROM inclusion.delivery_channel WHERE configured ORDER BY name")
            .map { try $0.decode(String.self, 0) }
    }
}

/// A school of one delivery test, written as the owner. It records no term dates, so every sweep raises
/// `term-dates-missing` for it.
struct DeliverySchool {
    struct Pupil {
        let id: Int
        let upn: String
        let given: String
        let family: String
        var note = ""
        var caseSummary = ""
    }

    let harness: DaemonHarness
    let id: Int

    init(harness: DaemonHarness, urn: Int, name: String) throws {
        self.harness = harness
        let owner = try harness.connect()
        defer { owner.close() }
        id = try owner.query(
            "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, $2, 801) RETURNING id",
            [urn, name]
        )[0].decode(Int.self, 0)
    }

    /// A pupil on SEN support (K) since 1 September 2026 with no plan: the sweep raises `sen-without-plan` (28
    /// days' grace) for them.
    func addUnplannedPupil(serial: Int, given: String = "Pat", family: String = "Outbox") throws -> Pupil {
        try addPupil(serial: serial, given: given, family: family, status: "K", since: "2026-09-01")
    }

    /// A pupil with an EHC plan issued on 1 June 2025 and never reviewed (the annual review was due by 31 May
    /// 2026), a need, and an open case whose last note was on 2 October 2026.
    func addEHCPPupil(serial: Int, given: String, family: String) throws -> Pupil {
        var pupil = try addPupil(serial: serial, given: given, family: family, status: "E", since: "2025-06-01")
        pupil.note = "Worried about her speech at home"
        pupil.caseSummary = "Mother reports anxiety"
        let owner = try harness.connect()
        defer { owner.close() }
        try owner.query(
            "INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank) VALUES ($1, $2, 'SLCN', 'primary')",
            [id, pupil.id]
        )
        try owner.query(
            """
            INSERT INTO inclusion.support_plan (school_id, pupil_id, kind, starts, review_cycle, next_review_due,
                issued_on, issuing_la)
            VALUES ($1, $2, 'ehcp', '2025-06-01', '12m', '2026-05-31', '2025-06-01', 'Brookshire')
            """,
            [id, pupil.id]
        )
        let pupilCase = try owner.query(
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary, opened_on)
            VALUES ($1, $2, 'concern', $3, '2026-10-01') RETURNING id
            """,
            [id, pupil.id, pupil.caseSummary]
        )[0].decode(Int.self, 0)
        try owner.query(
            """
            INSERT INTO inclusion.case_note (school_id, case_id, kind, body, noted_on)
            VALUES ($1, $2, 'note', $3, '2026-10-02')
            """,
            [id, pupilCase, pupil.note]
        )
        return pupil
    }

    private func addPupil(serial: Int, given: String, family: String, status: String, since: String) throws
        -> Pupil
    {
        let body = String(format: "7012009%05d", serial)
        let upn = String(UPN.checkLetter(for: body) ?? "A") + body
        let owner = try harness.connect()
        defer { owner.close() }
        let pupil = try owner.query(
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year, sen_status, sen_status_since)
            VALUES ($1, $2, $3, $4, '2016-01-01', '4', 2025, $5, $6::date) RETURNING id
            """,
            [id, upn, given, family, status, since]
        )[0].decode(Int.self, 0)
        return Pupil(id: pupil, upn: upn, given: given, family: family)
    }
}

/// A stand-in for sendmail(8): a shell script that writes each message it is handed, its arguments on the first
/// line, to a file of its own (messages may be sent concurrently).
struct RecordingSendmail {
    struct Message: CustomStringConvertible {
        let arguments: String
        /// The message as sendmail read it.
        let text: String

        var headers: [(name: String, value: String)] {
            let head = text.components(separatedBy: "\n\n").first ?? ""
            var headers: [(name: String, value: String)] = []
            for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.first == " " || line.first == "\t", let last = headers.popLast() {
                    headers.append((last.name, last.value + "\n" + String(line)))
                } else if let colon = line.firstIndex(of: ":") {
                    headers.append(
                        (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                    )
                }
            }
            return headers
        }

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

        var body: String {
            guard let range = text.range(of: "\n\n") else { return "" }
            return String(text[range.upperBound...])
        }

        var description: String { "sendmail \(arguments)\n\(text)" }
    }

    let directory: URL
    var path: String { directory.appendingPathComponent("sendmail").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "inclusiond-mail-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            out="\(directory.path)/message-$(date +%s%N)-$$"
            { printf '%s\\n' "$*"; cat; } > "$out.part" && mv "$out.part" "$out.eml"
            """
        try (script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// The messages sent so far, oldest first.
    var messages: [Message] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
                let newline = text.firstIndex(of: "\n")
            else { return nil }
            return Message(arguments: String(text[..<newline]), text: String(text[text.index(after: newline)...]))
        }
    }
}

/// A webhook request body, decoded.
struct EventBody: Decodable {
    struct Fields: Decodable {
        let alertID: Int64
        let rule: String
        let schoolURN: Int
        let dueOn: String
        let severity: String

        enum CodingKeys: String, CodingKey {
            case alertID = "alert_id"
            case rule
            case schoolURN = "school_urn"
            case dueOn = "due_on"
            case severity
        }
    }

    let type: String
    let timestamp: String
    let data: Fields
}

extension WebhookReceiver.Request {
    var webhookID: String? { headers.first(name: "webhook-id") }
}
