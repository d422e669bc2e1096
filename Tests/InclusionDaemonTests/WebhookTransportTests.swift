import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

@testable import InclusionDaemon

@Suite("Webhook transport")
struct WebhookTransportTests {
    static let secretText = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let event = WebhookEvent(
        id: "dlv_42",
        type: "alert.raised",
        alertID: 42,
        rule: "review-overdue",
        schoolURN: 100_001,
        dueOn: "2026-12-01",
        severity: "critical",
        occurredAt: Date(timeIntervalSince1970: 1_614_265_330)
    )
    static let expectedBody =
        #"{"data":{"alert_id":42,"due_on":"2026-12-01","rule":"review-overdue","school_urn":100001,"#
        + #""severity":"critical"},"timestamp":"2021-02-25T15:02:10Z","type":"alert.raised"}"#
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func okIsDeliveredWithAValidSignatureAndTheExactBody() async throws {
        let receiver = try await WebhookReceiver.start(reply: .status(200))
        let outcome = try await withTransport { transport in
            try await transport.send(Self.event, to: endpoint(receiver), now: Self.now)
        }
        try await receiver.close()
        #expect(outcome == .delivered)

        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        #expect(request.method == .POST)
        #expect(request.uri == "/hooks/inclusion")
        #expect(request.headers["content-type"] == ["application/json"])
        #expect(request.headers["user-agent"] == ["inclusiond/test"])
        #expect(request.headers["webhook-id"] == ["dlv_42"])
        #expect(request.headers["webhook-timestamp"] == ["1800000000"])
        #expect(String(decoding: request.body, as: UTF8.self) == Self.expectedBody)
        #expect(Self.signatureIsValid(request))

        // Ids and codes only: nothing about a pupil can be in the payload.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(Set(json.keys) == ["type", "timestamp", "data"])
        let data = try #require(json["data"] as? [String: Any])
        #expect(Set(data.keys) == ["alert_id", "rule", "school_urn", "due_on", "severity"])
    }

    @Test func goneIsGone() async throws {
        let receiver = try await WebhookReceiver.start(reply: .status(410))
        let outcome = try await withTransport { try await $0.send(Self.event, to: endpoint(receiver), now: Self.now) }
        try await receiver.close()
        #expect(outcome == .gone(reason: "HTTP 410"))
    }

    @Test func unavailableWithRetryAfterIsRetriedThen() async throws {
        let receiver = try await WebhookReceiver.start(
            reply: .status(503, headers: [("Retry-After", "7")], body: "down for maintenance, see pupil 123")
        )
        let outcome = try await withTransport { try await $0.send(Self.event, to: endpoint(receiver), now: Self.now) }
        try await receiver.close()
        #expect(outcome == .retry(after: .seconds(7), reason: "HTTP 503"))
    }

    @Test func tooManyRequestsWithoutRetryAfterIsRetriedOnSchedule() async throws {
        let receiver = try await WebhookReceiver.start(reply: .status(429))
        let outcome = try await withTransport { try await $0.send(Self.event, to: endpoint(receiver), now: Self.now) }
        try await receiver.close()
        #expect(outcome == .retry(after: nil, reason: "HTTP 429"))
    }

    @Test func otherClientErrorFailsWithoutTheResponseBody() async throws {
        let receiver = try await WebhookReceiver.start(reply: .status(400, body: "bad pupil 123"))
        let outcome = try await withTransport { try await $0.send(Self.event, to: endpoint(receiver), now: Self.now) }
        try await receiver.close()
        #expect(outcome == .failed(reason: "HTTP 400"))
    }

    @Test func redirectIsNotFollowed() async throws {
        let receiver = try await WebhookReceiver.start(
            reply: .status(307, headers: [("Location", "http://127.0.0.1:9/elsewhere")])
        )
        let outcome = try await withTransport { try await $0.send(Self.event, to: endpoint(receiver), now: Self.now) }
        try await receiver.close()
        #expect(outcome == .failed(reason: "HTTP 307 (redirects are not followed)"))
        #expect(receiver.requests.count == 1)
    }

    @Test func receiverThatNeverAnswersTimesOut() async throws {
        let receiver = try await WebhookReceiver.start(reply: .never)
        let started = ContinuousClock.now
        let outcome = try await withTransport(timeout: .seconds(1)) {
            try await $0.send(Self.event, to: endpoint(receiver), now: Self.now)
        }
        let elapsed = ContinuousClock.now - started
        try await receiver.close()
        #expect(outcome == .retry(after: nil, reason: "timeout"))
        // About 1 s when the machine is idle; the bound leaves room for a loaded parallel test run, and is still
        // far short of never.
        #expect(elapsed < .seconds(45))
        #expect(receiver.requests.count == 1)
    }

    @Test func closedPortIsRetried() async throws {
        // A socket bound to a loopback port but not listening: connecting to it is refused, and the port stays ours,
        // so no other test's receiver can take it over (a closed receiver's port could be reused in a parallel run).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let endpoint = try WebhookEndpoint(
            name: "test",
            url: "http://127.0.0.1:\(port)/hooks/inclusion",
            secrets: [try WebhookSecret(Self.secretText)]
        )
        let outcome = try await withTransport { await $0.send(Self.event, to: endpoint, now: Self.now) }
        // Refused at once on an idle machine; under a loaded test run the connect may time out first. Either way it
        // is retried.
        #expect(
            outcome == .retry(after: nil, reason: "connection refused")
                || outcome == .retry(after: nil, reason: "timeout"),
            "\(outcome)"
        )
    }

    // MARK: the endpoint's URL rules

    @Test(
        arguments: [
            "https://hooks.example.org/inclusion", "HTTPS://hooks.example.org:8443/x?token=1",
            "http://127.0.0.1:8080/x",
            "http://127.9.8.7/", "http://[::1]:9000/hook", "http://localhost/hook", "http://LOCALHOST./hook",
        ]
    )
    func acceptedURL(_ url: String) throws {
        let endpoint = try WebhookEndpoint(name: "trust-sis", url: url, secrets: [try WebhookSecret(Self.secretText)])
        #expect(endpoint.url.absoluteString == url)
    }

    @Test(
        arguments: [
            "http://hooks.example.org/inclusion", "http://192.0.2.10/", "http://127.0.0.1.example.org/",
            "http://[::2]/", "http://10.0.0.1/", "ftp://127.0.0.1/", "not a url", "https:///nohost",
        ]
    )
    func refusedURLNamesTheEndpointNotTheURL(_ url: String) throws {
        let secrets = [try WebhookSecret(Self.secretText)]
        #expect {
            try WebhookEndpoint(name: "trust-sis", url: url, secrets: secrets)
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("webhook endpoint trust-sis: ") && !text.contains(url)
        }
    }

    @Test func plainHTTPToANonLoopbackHostSaysHTTPSIsNeeded() throws {
        let secrets = [try WebhookSecret(Self.secretText)]
        #expect(
            throws: WebhookEndpointError(
                endpoint: "trust-sis",
                "url must use https (plain http is allowed only to 127.0.0.0/8, ::1 or localhost)"
            )
        ) {
            try WebhookEndpoint(name: "trust-sis", url: "http://hooks.example.org/x", secrets: secrets)
        }
    }

    @Test func endpointWithoutSecretIsRefused() {
        #expect(throws: WebhookEndpointError.self) {
            try WebhookEndpoint(name: "trust-sis", url: "https://hooks.example.org/x", secrets: [])
        }
    }

    // MARK: status and Retry-After mapping

    @Test(
        arguments: [
            (200, nil, DeliveryOutcome.delivered),
            (204, nil, .delivered),
            (410, nil, .gone(reason: "HTTP 410")),
            (500, "120", .retry(after: .seconds(120), reason: "HTTP 500")),
            (502, "junk", .retry(after: nil, reason: "HTTP 502")),
            (429, "999999999999999999999", .retry(after: .seconds(86_400), reason: "HTTP 429")),
            (429, "172800", .retry(after: .seconds(86_400), reason: "HTTP 429")),
            (408, "30", .retry(after: nil, reason: "HTTP 408")),
            (404, nil, .failed(reason: "HTTP 404")),
            (401, "30", .failed(reason: "HTTP 401")),
            (301, nil, .failed(reason: "HTTP 301 (redirects are not followed)")),
        ] as [(Int, String?, DeliveryOutcome)]
    )
    func statusMapsToOutcome(status: Int, retryAfter: String?, expected: DeliveryOutcome) {
        #expect(WebhookTransport.outcome(status: status, retryAfter: retryAfter, now: Self.now) == expected)
    }

    @Test func retryAfterAcceptsHTTPDates() {
        // 1_800_000_000 is Fri, 15 Jan 2027 08:00:00 GMT.
        #expect(WebhookTransport.retryDelay("Fri, 15 Jan 2027 08:01:30 GMT", now: Self.now) == .seconds(90))
        #expect(WebhookTransport.retryDelay("Friday, 15-Jan-27 08:00:10 GMT", now: Self.now) == .seconds(10))
        #expect(WebhookTransport.retryDelay("Fri Jan 15 08:00:05 2027", now: Self.now) == .seconds(5))
        #expect(WebhookTransport.retryDelay("Thu, 14 Jan 2027 08:00:00 GMT", now: Self.now) == .zero)
        #expect(WebhookTransport.retryDelay("Fri, 22 Jan 2027 08:00:00 GMT", now: Self.now) == .seconds(86_400))
    }

    // MARK: helpers

    func endpoint(_ receiver: WebhookReceiver) throws -> WebhookEndpoint {
        try WebhookEndpoint(
            name: "test",
            url: "http://127.0.0.1:\(receiver.port)/hooks/inclusion",
            secrets: [try WebhookSecret(Self.secretText)]
        )
    }

    func withTransport<T>(
        timeout: Duration = .seconds(2),
        _ body: (WebhookTransport) async throws -> T
    ) async throws -> T {
        let transport = WebhookTransport(timeout: timeout, userAgent: "inclusiond/test")
        do {
            let result = try await body(transport)
            try await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }

    /// Checks `webhook-signature` as a receiver would, with its own HMAC over `id.timestamp.body`.
    static func signatureIsValid(_ request: WebhookReceiver.Request) -> Bool {
        guard let id = request.headers.first(name: "webhook-id"),
            let timestamp = request.headers.first(name: "webhook-timestamp"),
            let header = request.headers.first(name: "webhook-signature"),
            let key = Data(base64Encoded: String(secretText.dropFirst("whsec_".count)))
        else { return false }
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("\(id).\(timestamp).".utf8) + request.body,
            using: SymmetricKey(data: key)
        )
        let expected = "v1," + Data(mac).base64EncodedString()
        return header.split(separator: " ").contains { $0 == expected }
    }
}

/// A loopback HTTP/1.1 server for one test: it records every request as it arrives and answers each as it is told
/// at that moment (``set(_:)``), after an optional delay (``set(delay:)``).
final class WebhookReceiver: Sendable {
    enum Reply: Sendable {
        case status(Int, headers: [(String, String)] = [], body: String = "")
        /// Reads the request and never answers.
        case never
    }

    struct Request: Sendable {
        let method: HTTPMethod
        let uri: String
        let headers: HTTPHeaders
        let body: [UInt8]
    }

    let port: Int
    private let channel: any Channel
    private let log: RequestLog
    private let behaviour: ReceiverBehaviour

    var requests: [Request] { log.all }

    private init(channel: any Channel, port: Int, log: RequestLog, behaviour: ReceiverBehaviour) {
        self.channel = channel
        self.port = port
        self.log = log
        self.behaviour = behaviour
    }

    /// Listens on a free loopback port, answering every request with `reply` after `delay`.
    static func start(reply: Reply, delay: Duration = .zero) async throws -> WebhookReceiver {
        let log = RequestLog()
        let behaviour = ReceiverBehaviour(reply: reply, delay: delay)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                // On the channel's event loop, so the handler need not be Sendable.
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ReceiverHandler(behaviour: behaviour, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(channel.localAddress?.port)
        return WebhookReceiver(channel: channel, port: port, log: log, behaviour: behaviour)
    }

    /// Answers the requests that arrive from now on with `reply`.
    func set(_ reply: Reply) {
        behaviour.set(reply)
    }

    /// Holds each answer to a request arriving from now on for `delay` (the request is recorded at once).
    func set(delay: Duration) {
        behaviour.set(delay: delay)
    }

    /// Stops listening; a connection still open is closed by the client side (the transport's shutdown).
    func close() async throws {
        try await channel.close()
    }
}

final class RequestLog: Sendable {
    private let requests = Mutex<[WebhookReceiver.Request]>([])

    var all: [WebhookReceiver.Request] { requests.withLock { $0 } }

    func append(_ request: WebhookReceiver.Request) {
        requests.withLock { $0.append(request) }
    }
}

/// How a ``WebhookReceiver`` answers, changeable while it runs.
final class ReceiverBehaviour: Sendable {
    private let state: Mutex<(reply: WebhookReceiver.Reply, delay: Duration)>

    init(reply: WebhookReceiver.Reply, delay: Duration) {
        state = Mutex((reply, delay))
    }

    var current: (reply: WebhookReceiver.Reply, delay: Duration) { state.withLock { $0 } }

    func set(_ reply: WebhookReceiver.Reply) {
        state.withLock { $0.reply = reply }
    }

    func set(delay: Duration) {
        state.withLock { $0.delay = delay }
    }
}

final class ReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let behaviour: ReceiverBehaviour
    let log: RequestLog
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(behaviour: ReceiverBehaviour, log: RequestLog) {
        self.behaviour = behaviour
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            log.append(.init(method: head.method, uri: head.uri, headers: head.headers, body: body))
            let (reply, delay) = behaviour.current
            guard case .status(let code, let extra, let text) = reply else { return }
            let respond = {
                // A client that gave up (or was killed) while the answer was held has closed the connection.
                guard context.channel.isActive else { return }
                var headers = HTTPHeaders(extra)
                headers.add(name: "content-length", value: String(text.utf8.count))
                let status = HTTPResponseStatus(statusCode: code)
                context.write(
                    self.wrapOutboundOut(
                        .head(HTTPResponseHead(version: head.version, status: status, headers: headers))
                    ),
                    promise: nil
                )
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
            if delay > .zero {
                context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { respond() }
            } else {
                respond()
            }
        }
    }
}
