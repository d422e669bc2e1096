import Dispatch
import Synchronization

/// The statement a ``ConfinedConnection`` is running, and the means to cancel it from another thread.
///
/// The deadline timer and task cancellation run on other threads than the connection's queue; they reach the
/// cancel handle only through this lock, so they never read it while the queue replaces it (a reconnect), and they
/// cancel only the statement they were set for: a cancel for a statement that has finished does nothing.
final class StatementCanceller: Sendable {
    private struct Running {
        let id: UInt64
        let handle: CancelHandle
    }

    private let running = Mutex<Running?>(nil)
    private let counter = Atomic<UInt64>(0)

    /// Marks a statement as running on a connection with this cancel handle; returns its id.
    func begin(_ handle: CancelHandle) -> UInt64 {
        let id = counter.add(1, ordering: .relaxed).newValue
        running.withLock { $0 = Running(id: id, handle: handle) }
        return id
    }

    /// Marks statement `id` as finished.
    func end(_ id: UInt64) {
        running.withLock { if $0?.id == id { $0 = nil } }
    }

    /// Whether statement `id` is still running.
    func isRunning(_ id: UInt64) -> Bool {
        running.withLock { $0?.id == id }
    }

    /// Asks the server to cancel statement `id` if it is still running, and again every 100 ms until it has
    /// finished: a task cancelled just as its statement began can send the cancel before the server has the
    /// statement, and a cancel that finds nothing running is ignored. `PQcancel` blocks for a round trip, so it runs
    /// on a global dispatch queue, never on the caller's (possibly cooperative) thread.
    func cancel(_ id: UInt64) {
        DispatchQueue.global().async { self.cancelWhileRunning(id) }
    }

    private func cancelWhileRunning(_ id: UInt64) {
        // Held across PQcancel so that the statement cannot finish and another begin in between: a cancel is never
        // delivered to a later statement.
        let stillRunning = running.withLock { running -> Bool in
            guard let running, running.id == id else { return false }
            running.handle.cancel()
            return true
        }
        if stillRunning {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { self.cancelWhileRunning(id) }
        }
    }
}
