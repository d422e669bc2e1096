import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One configured webhook receiver: its name (for logs and errors), its URL and the secrets that sign for it.
///
/// The URL must be HTTPS; plain HTTP is allowed only to a loopback host (127.0.0.0/8, ::1, localhost), where no
/// network carries the request. Errors name the endpoint, never its URL, which may hold a token.
public struct WebhookEndpoint: Sendable, Equatable {
    public let name: String
    public let url: URL
    public let secrets: [WebhookSecret]

    public init(name: String, url text: String, secrets: [WebhookSecret]) throws(WebhookEndpointError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            let host = url.host(percentEncoded: false), !host.isEmpty
        else {
            throw WebhookEndpointError(endpoint: name, "url is not an absolute http(s) URL with a host: check it")
        }
        switch scheme {
        case "https":
            break
        case "http" where Self.isLoopback(host):
            break
        case "http":
            throw WebhookEndpointError(
                endpoint: name,
                "url must use https (plain http is allowed only to 127.0.0.0/8, ::1 or localhost)"
            )
        default:
            throw WebhookEndpointError(endpoint: name, "url scheme must be https")
        }
        guard !secrets.isEmpty else {
            throw WebhookEndpointError(endpoint: name, "has no signing secret: give it a whsec_… secret file")
        }
        self.name = name
        self.url = url
        self.secrets = secrets
    }

    /// Literal loopback addresses and `localhost` only: a name that merely resolves to 127.0.0.1 is not enough,
    /// because its resolution can change after the check.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            // s_addr is in network byte order: its first byte in memory is the first octet.
            return withUnsafeBytes(of: &v4) { $0[0] } == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }
}

/// A webhook endpoint's configuration was refused: which endpoint, and what to fix.
public struct WebhookEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public let endpoint: String
    public let problem: String

    init(endpoint: String, _ problem: String) {
        self.endpoint = endpoint
        self.problem = problem
    }

    public var description: String { "webhook endpoint \(endpoint): \(problem)" }
}
