import Foundation

/// Runs the built `inclusionctl` as a user would, capturing its output and exit status.
public struct CommandRunner: Sendable {
    /// What one run printed and how it ended.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// stdout parsed as a JSON object.
        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw TestDatabaseError("stdout is not a JSON object: \(stdout)")
            }
            return object
        }

        /// stderr parsed as a JSON object (errors with --json).
        public func errorJSON() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stderr.utf8)) as? [String: Any],
                let error = object["error"] as? [String: Any]
            else { throw TestDatabaseError("stderr is not a JSON error: \(stderr)") }
            return error
        }
    }

    public let executable: URL

    /// `INCLUSIONCTL` (set by `make test`), else the debug build next to this package.
    public static func inclusionctl() throws -> CommandRunner {
        if let path = ProcessInfo.processInfo.environment["INCLUSIONCTL"], !path.isEmpty {
            return CommandRunner(executable: URL(fileURLWithPath: path))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent(".build/debug/inclusionctl")
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw TestDatabaseError("inclusionctl is not built: run `make test` (or set INCLUSIONCTL)")
        }
        return CommandRunner(executable: path)
    }

    /// Runs the command with `arguments`, `environment` added to a minimal one, and `input` on stdin.
    public func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        input: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        env.merge(environment) { $1 }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot fill a pipe and stall the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self)
        )
    }
}

/// Runs blocking work (a long libpq call, a big import) on a thread of its own, so that it does not hold one of
/// Swift's two cooperative threads for its whole length and starve the other suites' timers.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
