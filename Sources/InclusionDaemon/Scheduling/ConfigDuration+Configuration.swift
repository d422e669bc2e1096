import Configuration

/// A duration reads itself from a configuration string (`30s`, `5min`, …), so a reader can return one directly:
/// `reader.requiredString(forKey: "instance.heartbeat", as: ConfigDuration.self)`.
extension ConfigDuration: ExpressibleByConfigString {
    public init?(configString: String) {
        self.init(configString)
    }
}
