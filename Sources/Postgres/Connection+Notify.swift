import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A NOTIFY received on a channel this connection listens on.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    public let senderPID: Int32
}

extension Connection {
    /// Starts listening on a channel. The name is quoted by libpq, never spliced raw.
    public func listen(_ channel: String) throws(PostgresError) {
        try query("LISTEN \(try quoteIdentifier(channel))")
    }

    /// Stops listening on a channel.
    public func unlisten(_ channel: String) throws(PostgresError) {
        try query("UNLISTEN \(try quoteIdentifier(channel))")
    }

    /// Returns the notifications that have arrived, waiting on the connection's socket for up to `timeout`
    /// when none are pending. An empty array means the wait timed out.
    public func notifications(timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        let handle = try liveHandle()
        var received = try drainNotifications(handle)
        if !received.isEmpty { return received }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw connectionError(PQerrorMessage(handle)) }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, max(0, milliseconds))
        if ready < 0 && errno != EINTR {
            throw PostgresError(code: .connectionLost, serverMessage: "poll failed on the connection socket")
        }
        received = try drainNotifications(handle)
        return received
    }

    private func drainNotifications(_ handle: OpaquePointer) throws(PostgresError) -> [PostgresNotification] {
        guard PQconsumeInput(handle) == 1 else { throw connectionError(PQerrorMessage(handle)) }
        var received: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            received.append(
                PostgresNotification(
                    channel: String(cString: notify.pointee.relname),
                    payload: String(cString: notify.pointee.extra),
                    senderPID: notify.pointee.be_pid
                )
            )
            PQfreemem(notify)
        }
        return received
    }
}
