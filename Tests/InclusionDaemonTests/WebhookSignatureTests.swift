import Foundation
import InclusionDaemon
import Testing

@Suite("Standard Webhooks signatures")
struct WebhookSignatureTests {
    /// The Standard Webhooks specification's published example.
    @Test func publishedTestVectorMatches() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = WebhookSecret.signature(
            secrets: [secret],
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Array(#"{"test": 2432232314}"#.utf8)
        )
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func twoSecretsGiveTwoSignaturesInOrder() throws {
        let secrets = try WebhookSecret.parseList(
            """
            whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
              whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\t
            """
        )
        #expect(secrets.count == 2)
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let both = WebhookSecret.signature(secrets: secrets, id: "msg_1", timestamp: 1_614_265_330, body: body)
        let parts = both.split(separator: " ").map(String.init)
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { $0.hasPrefix("v1,") })
        #expect(parts[0] != parts[1])
        #expect(
            parts[0]
                == WebhookSecret.signature(secrets: [secrets[0]], id: "msg_1", timestamp: 1_614_265_330, body: body)
        )
        #expect(
            parts[1]
                == WebhookSecret.signature(secrets: [secrets[1]], id: "msg_1", timestamp: 1_614_265_330, body: body)
        )
    }

    @Test func signatureCoversIDTimestampAndBody() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Array("{}".utf8)
        let base = WebhookSecret.signature(secrets: [secret], id: "msg_1", timestamp: 100, body: body)
        #expect(base != WebhookSecret.signature(secrets: [secret], id: "msg_2", timestamp: 100, body: body))
        #expect(base != WebhookSecret.signature(secrets: [secret], id: "msg_1", timestamp: 101, body: body))
        #expect(base != WebhookSecret.signature(secrets: [secret], id: "msg_1", timestamp: 100, body: Array("[]".utf8)))
    }

    @Test func unpaddedSecretIsTheSameKey() throws {
        // 32 bytes of key: 44 base64 characters with one "=" of padding.
        let padded = try WebhookSecret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        let unpadded = try WebhookSecret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        #expect(padded == unpadded)
    }

    @Test(
        arguments: [
            ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WebhookSecretError.Code.missingPrefix),
            ("whsec_not*base64!", .notBase64),
            ("whsec_", .empty),
        ]
    )
    func badSecretIsRefusedWithoutEchoingIt(text: String, code: WebhookSecretError.Code) {
        #expect {
            try WebhookSecret(text)
        } throws: { error in
            guard let error = error as? WebhookSecretError else { return false }
            let described = String(describing: error)
            return error.code == code && described.contains("webhook secret")
                && !(text.count > 6 && described.contains(text.dropFirst(6)))
        }
    }

    @Test func emptySecretFileIsRefused() {
        #expect(throws: WebhookSecretError(.noSecrets)) { try WebhookSecret.parseList(" \n\t\n") }
    }

    @Test func badSecretInAListIsNamedByPosition() {
        #expect {
            try WebhookSecret.parseList("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\nsecret_two")
        } throws: { error in
            guard let error = error as? WebhookSecretError else { return false }
            return error.code == .missingPrefix && error.position == 2
                && error.description.hasPrefix("webhook secret 2 ")
                && !error.description.contains("secret_two")
        }
    }

    @Test func secretDescriptionIsRedacted() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(!String(describing: secret).contains("MfKQ"))
        #expect(!String(describing: [secret]).contains("MfKQ"))
    }
}
