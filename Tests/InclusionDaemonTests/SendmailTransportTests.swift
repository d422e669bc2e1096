import Foundation
import InclusionDaemon
import Testing

@Suite("sendmail transport")
struct SendmailTransportTests {
    static let message = EmailMessage(
        id: "dlv_42",
        from: "inclusiond <inclusiond@school.example>",
        to: ["senco@school.example", "Head Teacher <head@school.example>"],
        subject: "Review overdue at 100001",
        body: "An alert needs you.\r\nRun: inclusionctl alert show 42\n.\nEnd"
    )
    static let now = Date(timeIntervalSince1970: 1_614_265_330)

    @Test func messageIsPipedToSendmailWithHeadersAndBody() async throws {
        let fake = try FakeSendmail(script: #"cat > "$dir/stdin"; exit 0"#)
        defer { fake.remove() }
        let outcome = await SendmailTransport(path: fake.path).send(Self.message, now: Self.now)
        #expect(outcome == .delivered)
        #expect(try fake.argv() == ["-t", "-i"])
        let expected = """
            Date: Thu, 25 Feb 2021 15:02:10 +0000
            From: inclusiond <inclusiond@school.example>
            To: senco@school.example,
             Head Teacher <head@school.example>
            Subject: Review overdue at 100001
            Message-ID: <dlv_42@inclusiond>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            An alert needs you.
            Run: inclusionctl alert show 42
            .
            End

            """
        let stdin = try fake.stdin()
        #expect(String(decoding: stdin, as: UTF8.self) == expected)
        #expect(!stdin.contains(UInt8(ascii: "\r")))
    }

    @Test func nonASCIISubjectIsEncodedAsRFC2047Words() async throws {
        let subject = "Überprüfung fällig: Förderplan für Schule 100001 – bitte heute noch ansehen"
        let message = EmailMessage(id: "dlv_7", from: "a@b.example", to: ["c@d.example"], subject: subject, body: "x")
        let text = String(decoding: try message.rendered(date: Self.now), as: UTF8.self)
        let headers = text.components(separatedBy: "\n\n")[0]
        let subjectLines = try #require(
            headers.components(separatedBy: "\nMessage-ID:")[0].components(separatedBy: "Subject: ").last
        )
        let words = subjectLines.components(separatedBy: "\n ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let encoded = String(word.dropFirst("=?UTF-8?B?".count).dropLast(2))
            let bytes = try #require(Data(base64Encoded: encoded))
            // Each word is whole UTF-8 on its own.
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        #expect(headers.allSatisfy { $0.isASCII })
    }

    @Test(
        arguments: [
            ("Subject", "Hi\r\nBcc: x@evil.example"), ("Subject", "Hi\nBcc: x@evil.example"),
            ("To", "c@d.example\r\nBcc: x@evil.example"), ("From", "a@b.example\rBcc: x"), ("id", "dlv\n1"),
        ]
    )
    func headerInjectionIsRefusedAndNothingRuns(field: String, value: String) async throws {
        let fake = try FakeSendmail(script: #"cat > "$dir/stdin"; exit 0"#)
        defer { fake.remove() }
        let message = EmailMessage(
            id: field == "id" ? value : "dlv_1",
            from: field == "From" ? value : "a@b.example",
            to: [field == "To" ? value : "c@d.example"],
            subject: field == "Subject" ? value : "Hello",
            body: "x"
        )
        let outcome = await SendmailTransport(path: fake.path).send(message, now: Self.now)
        guard case .failed(let reason) = outcome else {
            Issue.record("expected failed, got \(outcome)")
            return
        }
        #expect(reason.contains(field))
        #expect(!reason.contains("evil"))
        #expect(!fake.ran)
    }

    @Test func temporaryFailureIsRetried() async throws {
        let fake = try FakeSendmail(script: "cat > /dev/null; exit 75")
        defer { fake.remove() }
        let outcome = await SendmailTransport(path: fake.path).send(Self.message, now: Self.now)
        #expect(outcome == .retry(after: nil, reason: "sendmail exit 75 (temporary failure)"))
    }

    @Test func otherExitStatusFails() async throws {
        let fake = try FakeSendmail(script: "cat > /dev/null; exit 1")
        defer { fake.remove() }
        let outcome = await SendmailTransport(path: fake.path).send(Self.message, now: Self.now)
        #expect(outcome == .failed(reason: "sendmail exit 1"))
    }

    /// A child that exits without reading a message bigger than a pipe holds: the write fails with EPIPE, and the
    /// SIGPIPE it raises must not end the test process (or the daemon).
    @Test func sendmailThatIgnoresItsInputDoesNotKillUs() async throws {
        let fake = try FakeSendmail(script: "exit 1")
        defer { fake.remove() }
        let big = EmailMessage(
            id: "dlv_9",
            from: "a@b.example",
            to: ["c@d.example"],
            subject: "Digest",
            body: String(repeating: "a line of the daily digest\n", count: 40_000)
        )
        let outcome = await SendmailTransport(path: fake.path).send(big, now: Self.now)
        #expect(outcome == .failed(reason: "sendmail exit 1"))
    }

    @Test func successWithoutReadingTheWholeMessageIsRetried() async throws {
        let fake = try FakeSendmail(script: "head -c 10 > /dev/null; exit 0")
        defer { fake.remove() }
        let big = EmailMessage(
            id: "dlv_9",
            from: "a@b.example",
            to: ["c@d.example"],
            subject: "Digest",
            body: String(repeating: "a line of the daily digest\n", count: 40_000)
        )
        let outcome = await SendmailTransport(path: fake.path).send(big, now: Self.now)
        #expect(outcome == .retry(after: nil, reason: "sendmail exited 0 before reading the whole message"))
    }

    @Test func killedBySignalIsRetried() async throws {
        let fake = try FakeSendmail(script: "cat > /dev/null; kill -TERM $$")
        defer { fake.remove() }
        let outcome = await SendmailTransport(path: fake.path).send(Self.message, now: Self.now)
        #expect(outcome == .retry(after: nil, reason: "sendmail was killed by signal 15"))
    }

    @Test func hungSendmailIsKilledAfterTheTimeoutAndRetried() async throws {
        let fake = try FakeSendmail(script: "sleep 600")
        defer { fake.remove() }
        let started = ContinuousClock.now
        let outcome = await SendmailTransport(path: fake.path, timeout: .seconds(1)).send(Self.message, now: Self.now)
        #expect(outcome == .retry(after: nil, reason: "sendmail timed out after 1 s and was killed"))
        // About 1 s when the machine is idle; the bound leaves room for a loaded parallel test run, and is far
        // short of the fake's own 600 s.
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test func missingSendmailIsRetriedWithAClearReason() async {
        let path = "/nonexistent/inclusiond-test/sendmail"
        let outcome = await SendmailTransport(path: path).send(Self.message, now: Self.now)
        #expect(outcome == .retry(after: nil, reason: "cannot start sendmail: \(path) is not an executable file"))
    }
}

/// A shell script standing in for sendmail in a temporary folder of its own; it records its arguments to `argv`.
struct FakeSendmail {
    let directory: URL
    var path: String { directory.appendingPathComponent("sendmail").path }

    init(script: String) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("inclusiond-sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = """
            #!/bin/sh
            dir='\(directory.path)'
            for argument in "$@"; do printf '%s\\n' "$argument"; done > "$dir/argv"
            \(script)

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    var ran: Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent("argv").path) }

    func argv() throws -> [String] {
        let text = try String(contentsOf: directory.appendingPathComponent("argv"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    func stdin() throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("stdin")))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
