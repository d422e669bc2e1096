import CLibPQ

extension Connection {
    /// Runs `COPY … FROM STDIN` (text format) and lets `body` write rows through a ``CopyWriter``. If `body`
    /// throws, the COPY is aborted and nothing it wrote is kept. Returns the number of rows copied.
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: (CopyWriter) throws -> Void) throws -> Int {
        let handle = try liveHandle()
        let start = try check(PQexec(handle, sql.text))
        guard PQresultStatus(start.handle) == PGRES_COPY_IN else {
            throw PostgresError(code: .usage, serverMessage: "statement is not COPY FROM STDIN")
        }
        let writer = CopyWriter(handle: handle)
        var failure: (any Error)?
        do {
            try body(writer)
            try writer.flush()
        } catch {
            failure = error
        }
        let ended = PQputCopyEnd(handle, failure == nil ? nil : "aborted by the client")
        var copied = 0
        var serverError: PostgresError?
        while let result = PQgetResult(handle) {
            do {
                let checked = try check(result)
                copied = checked.affectedRows
            } catch {
                serverError = serverError ?? error
            }
        }
        if let failure { throw failure }
        if let serverError { throw serverError }
        if ended != 1 { throw connectionError(PQerrorMessage(handle)) }
        return copied
    }
}

/// Writes rows into a running `COPY … FROM STDIN` in PostgreSQL's text format, buffered in 64 KiB chunks.
public final class CopyWriter {
    private let handle: OpaquePointer
    private var buffer: [UInt8] = []
    private static let chunk = 64 * 1024

    init(handle: OpaquePointer) {
        self.handle = handle
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    /// Appends one row; nil fields are NULL. Tabs, newlines and backslashes inside fields are escaped.
    public func appendRow(_ fields: [String?]) throws(PostgresError) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case 0:
                    throw PostgresError(code: .invalidText, serverMessage: "a COPY field contains a NUL byte")
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.chunk { try flush() }
    }

    func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                PQputCopyData(handle, $0, Int32(bytes.count))
            }
        }
        guard sent == 1 else {
            throw PostgresError(code: .connectionLost, serverMessage: Connection.trimmed(PQerrorMessage(handle)))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
