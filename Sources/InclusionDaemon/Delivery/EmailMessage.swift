import Foundation

/// One plain-text email for `sendmail -t -i`.
public struct EmailMessage: Sendable, Equatable {
    /// The delivery's stable id, the same on every retry: the `Message-ID` is `<id@inclusiond>`, so a mail system
    /// or reader can drop a duplicate.
    public let id: String
    public let from: String
    public let to: [String]
    public let subject: String
    public let body: String

    public init(id: String, from: String, to: [String], subject: String, body: String) {
        self.id = id
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The RFC 5322 message, headers then a blank line then the body, with LF line endings throughout (the
    /// sendmail interface's local convention; the submitter turns them into CRLF on the wire).
    ///
    /// A header value with CR, LF or another control character is refused, so no value can add a header (a `Bcc`,
    /// say) or a recipient; a non-ASCII or over-long Subject is sent as RFC 2047 encoded words.
    public func rendered(date: Date) throws(EmailMessageError) -> [UInt8] {
        try Self.check(id, field: "id")
        guard Self.isMessageIDLocalPart(id) else {
            throw EmailMessageError(field: "id", "may hold only letters, digits and -._+=: it becomes the Message-ID")
        }
        try Self.check(from, field: "From")
        guard !to.isEmpty else { throw EmailMessageError(field: "To", "has no address: give at least one") }
        for address in to { try Self.check(address, field: "To") }
        try Self.check(subject, field: "Subject", allowEmpty: true)
        guard !body.unicodeScalars.contains("\0") else {
            throw EmailMessageError(field: "body", "contains a NUL character, which 8bit mail may not carry")
        }

        var text = ""
        text += "Date: \(Self.rfc5322Date(date))\n"
        text += "From: \(from)\n"
        text += "To: \(to.joined(separator: ",\n "))\n"
        text += "Subject: \(Self.encodedSubject(subject))\n"
        text += "Message-ID: <\(id)@inclusiond>\n"
        text += "MIME-Version: 1.0\n"
        text += "Content-Type: text/plain; charset=utf-8\n"
        text += "Content-Transfer-Encoding: 8bit\n"
        text += "\n"
        var lines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !lines.hasSuffix("\n") { lines += "\n" }
        text += lines
        return Array(text.utf8)
    }

    /// Refuses an empty value (unless allowed) and any control character but tab: CR and LF above all.
    private static func check(_ value: String, field: String, allowEmpty: Bool = false) throws(EmailMessageError) {
        if !allowEmpty && value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw EmailMessageError(field: field, "is empty")
        }
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw EmailMessageError(field: field, "contains a line break (CR or LF), which could add a header")
        }
        if value.unicodeScalars.contains(where: { $0 != "\t" && $0.properties.generalCategory == .control }) {
            throw EmailMessageError(field: field, "contains a control character")
        }
    }

    /// atext and dots (RFC 5322 §3.2.3) narrowed to what a delivery id uses, with no leading, trailing or double dot.
    private static func isMessageIDLocalPart(_ id: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._+=")
        return id.allSatisfy(allowed.contains) && !id.hasPrefix(".") && !id.hasSuffix(".") && !id.contains("..")
    }

    /// `Thu, 25 Feb 2021 15:02:10 +0000`, always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    /// Printable ASCII that fits the 998-octet line limit goes as it is; anything else as `=?UTF-8?B?…?=` words
    /// (RFC 2047) of at most 75 characters, one per folded line, never splitting a character's bytes.
    static func encodedSubject(_ subject: String) -> String {
        let printable = subject.utf8.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 }
        if printable && subject.utf8.count <= 998 - "Subject: ".count { return subject }
        // 45 bytes encode to 60 base64 characters: with `=?UTF-8?B?` and `?=` a word is 72 characters.
        let maximumChunk = 45
        var chunks: [[UInt8]] = []
        var current: [UInt8] = []
        func add(_ bytes: [UInt8]) {
            if current.count + bytes.count > maximumChunk {
                chunks.append(current)
                current = []
            }
            current += bytes
        }
        for character in subject {
            let bytes = Array(character.utf8)
            if bytes.count <= maximumChunk {
                add(bytes)
            } else {
                for scalar in character.unicodeScalars { add(Array(String(scalar).utf8)) }
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\n ")
    }
}

/// An email that cannot be sent as it stands: which field, and what is wrong. Never the value itself.
public struct EmailMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let problem: String

    init(field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "email \(field) \(problem)" }
}
