import CLibPQ

/// Cancels whatever statement a connection is running, from any thread (libpq's `PGcancel`).
///
/// Create it on the thread that owns the connection, right after connecting; `cancel()` may then be called from
/// any thread, for example by a timer that bounds a statement's wall time.
public final class CancelHandle: @unchecked Sendable {
    // PQcancel is documented as safe to call from other threads and signal handlers.
    private let handle: OpaquePointer?

    public init(_ connection: Connection) {
        handle = (try? connection.liveHandle()).flatMap { PQgetCancel($0) }
    }

    deinit {
        if let handle { PQfreeCancel(handle) }
    }

    /// Asks the server to cancel the running statement. Returns whether the request was sent.
    @discardableResult
    public func cancel() -> Bool {
        guard let handle else { return false }
        var buffer = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &buffer, Int32(buffer.count)) == 1
    }
}
