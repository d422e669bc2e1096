import Synchronization

/// A wake-up signal between services: `signal()` never blocks and coalesces; `wait(upTo:)` returns when signalled
/// or when the time is up, whichever comes first. One waiter at a time (each service owns its own).
public final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.signalled = true
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// Waits for a signal or `timeout`. Returns true when signalled.
    @discardableResult
    public func wait(upTo timeout: Duration) async -> Bool {
        if state.withLock({ state in
            defer { state.signalled = false }
            return state.signalled
        }) {
            return true
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Suspends until signalled (true) or cancelled (false).
    private func waitForSignal() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                // Checked under the lock that onCancel also takes: a cancellation is either seen here, or finds
                // the stored continuation there.
                let immediate: Bool? = state.withLock { state in
                    if state.signalled {
                        state.signalled = false
                        return true
                    }
                    if Task.isCancelled { return false }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: false)
        }
    }
}
