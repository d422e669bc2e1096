import Dispatch

/// A serial executor that runs every job on one serial dispatch queue, so an actor using it runs its methods on
/// that queue's thread, off Swift's cooperative pool (GRDB's `DispatchQueueActor` does the same). Blocking libpq
/// calls made there suspend the calling task instead of occupying one of the pool's few threads.
///
/// Foundation on Linux has no `DispatchSerialQueue` executor, hence this small one.
public final class QueueExecutor: SerialExecutor {
    /// The queue every job runs on.
    public let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
