/// A configuration problem: the key, what is wrong with its value, and the fix. Exit 78.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let problem: String

    public init(key: String, _ problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "\(key): \(problem)" }
}

/// Several configuration problems at once, so one `--check-config` names them all.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [ConfigurationError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
