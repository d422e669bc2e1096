import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A running `inclusiond`, started as a user would start it, for black-box tests: its log goes to a file the test
/// can read, and the test sends it signals.
public final class DaemonProcess: @unchecked Sendable {
    public let process: Process
    public let logPath: URL
    let logHandle: FileHandle

    /// `INCLUSIOND` (set by `make test`), else the debug build next to this package.
    public static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["INCLUSIOND"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent(".build/debug/inclusiond")
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw TestDatabaseError("inclusiond is not built: run `make test` (or set INCLUSIOND)")
        }
        return path
    }

    /// Starts `inclusiond` with `arguments` and `environment` (added to a minimal one).
    public init(arguments: [String], environment: [String: String] = [:], name: String) throws {
        process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "INCLUSIOND_LOG_LEVEL": "debug"]
        env.merge(environment) { $1 }
        process.environment = env
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "inclusiond-\(name)-\(UUID().uuidString).log"
        )
        _ = FileManager.default.createFile(atPath: logPath.path, contents: nil)
        logHandle = try FileHandle(forWritingTo: logPath)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? logHandle.close()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Everything the daemon has logged so far.
    public var log: String {
        (try? String(contentsOf: logPath, encoding: .utf8)) ?? ""
    }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit; returns its status, or nil if it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { return nil }
        return process.terminationStatus
    }

    /// Waits until the log contains `text`; returns whether it did within `timeout`.
    public func waitForLog(_ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.contains(text) { return true }
            if !process.isRunning { return log.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Stops the daemon (SIGTERM, then SIGKILL after 20 s).
    public func stop() async {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if await waitForExit(timeout: .seconds(20)) == nil {
            signal(SIGKILL)
            _ = await waitForExit(timeout: .seconds(5))
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(
    timeout: Duration,
    every interval: Duration = .milliseconds(100),
    _ condition: () throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try condition()
}
