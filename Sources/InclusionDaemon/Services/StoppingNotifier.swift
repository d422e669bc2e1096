import ServiceLifecycle

/// Tells systemd STOPPING=1 as soon as graceful shutdown begins. Listed last, so the service group (which shuts
/// services down in reverse order) reaches it first.
struct StoppingNotifier: Service, CustomStringConvertible {
    let notifier: SystemdNotifier
    var description: String { "stopping-notifier" }

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping()
    }
}
