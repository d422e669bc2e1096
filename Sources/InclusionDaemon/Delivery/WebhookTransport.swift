import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Posts one signed alert event to one webhook endpoint (Standard Webhooks v1) and says how it went.
///
/// One `HTTPClient` on NIO's singleton event loops serves every endpoint; call `shutdown()` before dropping the
/// transport. Redirects are not followed (a redirect is reported as `failed`), and a receiver that cannot be
/// reached fails at once rather than being retried inside the attempt: the delivery service's schedule of hours to
/// days is the retry.
///
/// How a response maps to an outcome:
///
/// | response | outcome |
/// |---|---|
/// | 2xx | `delivered` |
/// | 410 Gone | `gone` (the endpoint is disabled until an admin re-enables it) |
/// | 429, 5xx | `retry`, after `Retry-After` (seconds or an HTTP-date) if given, capped at 24 h |
/// | 408 Request Timeout | `retry(after: nil)`: the receiver timed out, not refused |
/// | 3xx, any other 4xx | `failed`: this request will not get through as it stands |
/// | no response (refused, reset, DNS, TLS, timeout) | `retry(after: nil)` |
public final class WebhookTransport: Sendable {
    public static let defaultTimeout: Duration = .seconds(15)
    /// The longest `Retry-After` honoured, so a receiver cannot park deliveries for months.
    public static let maximumRetryAfter: Duration = .seconds(24 * 60 * 60)
    /// How much of a response body is read (and thrown away) so the connection can be reused.
    static let discardedBodyLimit = 64 * 1024

    private let client: HTTPClient
    private let timeout: Duration
    private let userAgent: String

    /// - Parameters:
    ///   - timeout: the whole attempt, connecting to the response's status line, and again for draining its body.
    ///   - userAgent: the `user-agent` header.
    public init(timeout: Duration = defaultTimeout, userAgent: String = "inclusiond/\(Daemon.version)") {
        let amount = TimeAmount(timeout)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: amount, read: amount, write: amount)
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        self.timeout = timeout
        self.userAgent = userAgent
    }

    /// Sends `event` to `endpoint`, signed with every one of its secrets and stamped with `now`.
    public func send(_ event: WebhookEvent, to endpoint: WebhookEndpoint, now: Date) async -> DeliveryOutcome {
        guard Self.isHeaderSafe(event.id) else {
            return .failed(reason: "webhook id is not printable ASCII")
        }
        let body = event.body()
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        var request = HTTPClientRequest(url: endpoint.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: userAgent)
        request.headers.add(name: "webhook-id", value: event.id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: WebhookSecret.signature(secrets: endpoint.secrets, id: event.id, timestamp: timestamp, body: body)
        )
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(timeout))
            let outcome = Self.outcome(
                status: Int(response.status.code),
                retryAfter: response.headers.first(name: "retry-after"),
                now: now
            )
            await Self.discard(response.body, within: timeout)
            return outcome
        } catch {
            return .retry(after: nil, reason: Self.reason(for: error))
        }
    }

    /// Closes the client's connections. Call it once, when no `send` is running or will run.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// The outcome of a response with this status and `Retry-After` header, received at `now`.
    static func outcome(status: Int, retryAfter: String?, now: Date) -> DeliveryOutcome {
        switch status {
        case 200..<300:
            return .delivered
        case 410:
            return .gone(reason: "HTTP 410")
        case 429, 500..<600:
            return .retry(after: retryAfter.flatMap { retryDelay($0, now: now) }, reason: "HTTP \(status)")
        case 408:
            return .retry(after: nil, reason: "HTTP 408")
        case 300..<400:
            return .failed(reason: "HTTP \(status) (redirects are not followed)")
        default:
            return .failed(reason: "HTTP \(status)")
        }
    }

    /// `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), from 0 to `maximumRetryAfter`;
    /// nil when it is neither.
    static func retryDelay(_ value: String, now: Date) -> Duration? {
        let value = value.trimmingCharacters(in: .whitespaces)
        let cap = Int64(maximumRetryAfter.components.seconds)
        if !value.isEmpty, value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) {
            // Digits too many for Int64 are far beyond the cap.
            return .seconds(Int64(value).map { min($0, cap) } ?? cap)
        }
        guard let date = httpDate(value) else { return nil }
        let seconds = date.timeIntervalSince(now).rounded(.up)
        return .seconds(Int64(max(0, min(seconds, Double(cap)))))
    }

    /// IMF-fixdate, or one of the two obsolete forms recipients must still accept (RFC 9110 §5.6.7).
    static func httpDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }

    /// Short, safe text for an attempt that got no response: a category, never the URL or a server's words.
    static func reason(for error: any Error) -> String {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout:
                return "timeout"
            case .remoteConnectionClosed:
                return "connection closed by the receiver"
            default:
                return "request failed (\(error))"
            }
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(for: first.error) }
            return "DNS lookup failed"
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset"
            case ETIMEDOUT: return "timeout"
            case ENETUNREACH, EHOSTUNREACH: return "host unreachable"
            default: return "connection failed (errno \(error.errnoCode))"
            }
        case let error as ChannelError:
            if case .connectTimeout = error { return "timeout" }
            return "connection failed (ChannelError)"
        case is CancellationError:
            return "cancelled"
        default:
            // A type name (say, a TLS error's) says enough to look further and cannot carry server text.
            return "request failed (\(type(of: error)))"
        }
    }

    /// Reads and drops up to `discardedBodyLimit` bytes of a response body, giving up after `limit`.
    private static func discard(_ body: HTTPClientResponse.Body, within limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await body.collect(upTo: discardedBodyLimit) }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    private static func isHeaderSafe(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
