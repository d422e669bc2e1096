import Crypto
import Foundation

/// One Standard Webhooks signing secret, `whsec_<base64>`; the key is the base64-decoded bytes after the prefix.
///
/// Its `description` never shows the key, so a secret can sit in a logged value without leaking.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible {
    static let prefix = "whsec_"

    /// The key's bytes: `SymmetricKey` is not `Sendable`, so one is made for each signature.
    let key: [UInt8]

    /// Parses one `whsec_<base64>` secret. The error names what is wrong, never the secret's text.
    public init(_ text: String) throws(WebhookSecretError) {
        guard text.hasPrefix(Self.prefix) else { throw WebhookSecretError(.missingPrefix) }
        var encoded = String(text.dropFirst(Self.prefix.count))
        // Some generators drop the base64 padding; the key is the same.
        if encoded.count % 4 != 0 { encoded += String(repeating: "=", count: 4 - encoded.count % 4) }
        guard let bytes = Data(base64Encoded: encoded) else { throw WebhookSecretError(.notBase64) }
        guard !bytes.isEmpty else { throw WebhookSecretError(.empty) }
        key = Array(bytes)
    }

    /// The secrets of one endpoint's secret file: whitespace- or newline-separated, so a rotation lists the new
    /// secret beside the old one and receivers may check either. An empty file is an error.
    public static func parseList(_ text: String) throws(WebhookSecretError) -> [WebhookSecret] {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { throw WebhookSecretError(.noSecrets) }
        var secrets: [WebhookSecret] = []
        for (index, word) in words.enumerated() {
            do {
                secrets.append(try WebhookSecret(String(word)))
            } catch {
                throw WebhookSecretError(error.code, position: index + 1)
            }
        }
        return secrets
    }

    /// The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each secret,
    /// space-separated, in the order given.
    public static func signature(secrets: [WebhookSecret], id: String, timestamp: Int64, body: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return secrets.map { secret in
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: secret.key))
            return "v1," + Data(mac).base64EncodedString()
        }
        .joined(separator: " ")
    }

    public var description: String { "whsec_…(redacted)" }

}

/// Why a webhook secret was refused. The message never contains secret material.
public struct WebhookSecretError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case missingPrefix
        case notBase64
        case empty
        case noSecrets
    }

    public let code: Code
    /// The secret's position (from 1) in a list, when it came from one.
    public let position: Int?

    public init(_ code: Code, position: Int? = nil) {
        self.code = code
        self.position = position
    }

    public var description: String {
        let which = position.map { "webhook secret \($0)" } ?? "webhook secret"
        switch code {
        case .missingPrefix:
            return "\(which) does not start with whsec_: give the secret as whsec_ followed by base64"
        case .notBase64:
            return "\(which) is not valid base64 after whsec_: copy the whole secret again"
        case .empty:
            return "\(which) has no key after whsec_: copy the whole secret again"
        case .noSecrets:
            return "the webhook secret file holds no secret: put one whsec_… secret in it (two while rotating)"
        }
    }
}
