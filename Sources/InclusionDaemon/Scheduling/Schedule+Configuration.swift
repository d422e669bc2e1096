import Configuration

/// A schedule reads itself from a configuration string (`*/15 * * * *`, `every 30s`). The configuration reports a
/// bad one with ``Schedule/parse(_:)``'s own explanation, so this initialiser only says whether it parsed.
extension Schedule: ExpressibleByConfigString {
    public init?(configString: String) {
        guard let schedule = try? Schedule.parse(configString) else { return nil }
        self = schedule
    }
}
