import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fake systemd notification socket: a Unix datagram socket a test passes as `NOTIFY_SOCKET`, collecting the
/// messages the daemon sends.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []

    public init() throws {
        path = "/tmp/inclusiond-notify-\(UUID().uuidString.prefix(8)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestDatabaseError("cannot create a datagram socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw TestDatabaseError("cannot bind \(path)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Reads whatever has arrived, then returns every message received so far.
    public func messages() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            lock.withLock { received.append(message) }
        }
        return lock.withLock { received }
    }

    /// Waits until a message satisfying `predicate` arrives after the first `skipping` messages.
    public func waitFor(
        timeout: Duration,
        skipping: Int = 0,
        _ predicate: (String) -> Bool
    ) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = messages().dropFirst(skipping).first(where: predicate) { return found }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return messages().dropFirst(skipping).first(where: predicate)
    }
}
