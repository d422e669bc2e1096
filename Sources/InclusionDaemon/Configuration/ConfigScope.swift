import Configuration

/// One part of the configuration as its reader sees it: a ``ConfigReader`` scoped to the part's keys with
/// `scoped(to:)` (`database`, `jobs.canary`, `alerts.webhook.hub`, …) and the part's dotted path, so that a bad value
/// is named by its full key (`database.statement-timeout`) whichever source set it. Problems are collected, not
/// thrown, so that one `--check-config` names them all.
struct ConfigScope {
    /// What reading found, shared by a scope and the scopes within it.
    final class Findings {
        var problems: [ConfigurationError] = []
        /// The full key of each value read, with its shape, for ``ConfigSchema``.
        var keys: [String: ConfigSchema.Shape] = [:]
    }

    /// The reader, scoped to ``path``; nil when listing keys (``keys(readBy:)``), where every key reads as unset.
    let reader: ConfigReader?
    /// The dotted path of the scope: empty at the top.
    let path: String
    let findings: Findings

    /// The whole configuration that `reader` reads.
    init(_ reader: ConfigReader?) {
        self.init(reader: reader, path: "", findings: Findings())
    }

    private init(reader: ConfigReader?, path: String, findings: Findings) {
        self.reader = reader
        self.path = path
        self.findings = findings
    }

    /// The keys under `name` (a key, or a dotted path of keys), through a reader scoped to them.
    func scoped(to name: String) -> ConfigScope {
        ConfigScope(reader: reader?.scoped(to: ConfigKey(name)), path: key(name), findings: findings)
    }

    /// The full dotted key of `name`, for messages: `statement-timeout` in `database` is `database.statement-timeout`.
    func key(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    /// The problems found so far, in every scope of this configuration.
    var problems: [ConfigurationError] { findings.problems }

    /// Whether this only lists the keys its readers read (``keys(readBy:)``).
    var isListingKeys: Bool { reader == nil }

    /// Records a problem with `name`'s value, named by its full key.
    func problem(_ name: String, _ text: String) {
        findings.problems.append(ConfigurationError(key: key(name), text))
    }

    /// `name`'s value as text, or nil when no source sets it.
    func string(_ name: String, isSecret: Bool = false) -> String? {
        findings.keys[key(name)] = .scalar
        return reader?.string(forKey: ConfigKey(name), isSecret: isSecret)
    }

    /// `name`'s list of values, or nil when no source sets it.
    func list(_ name: String) -> [String]? {
        findings.keys[key(name)] = .list
        return reader?.stringArray(forKey: ConfigKey(name))
    }

    /// `name`'s value read as a `Value` (a duration, a schedule), or nil when it is unset or does not read as one.
    func value<Value: ExpressibleByConfigString>(_ name: String, as type: Value.Type) -> Value? {
        findings.keys[key(name)] = .scalar
        return try? reader?.requiredString(forKey: ConfigKey(name), as: type)
    }

    /// `name`'s duration, or `current` when it is unset or (a problem) not a duration.
    func duration(_ name: String, _ current: ConfigDuration) -> ConfigDuration {
        guard let text = string(name) else { return current }
        guard let duration = value(name, as: ConfigDuration.self) else {
            problem(name, "'\(text)' is not a duration; write 30s, 5min, 2h, 7d or 2w")
            return current
        }
        return duration
    }

    /// `name`'s true or false (also yes/no, on/off, 1/0), or `current` when it is unset or (a problem) neither.
    func bool(_ name: String, _ current: Bool) -> Bool {
        guard let text = string(name) else { return current }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            problem(name, "'\(text)' is not true or false")
            return current
        }
    }

    /// `name`'s whole number in `range`, or `current` when it is unset or (a problem) not one.
    func int(_ name: String, _ current: Int, _ range: ClosedRange<Int>) -> Int {
        guard let text = string(name) else { return current }
        guard let value = Int(text), range.contains(value) else {
            problem(name, "'\(text)' is not a whole number in \(range)")
            return current
        }
        return value
    }

    /// The full key of every value that `read` reads, with its shape: `read` is run over a configuration in which no
    /// key is set, so it must read each of its keys (a webhook's, for one named `*`) whatever the others hold.
    static func keys(readBy read: (ConfigScope) -> Void) -> [String: ConfigSchema.Shape] {
        let scope = ConfigScope(nil)
        read(scope)
        return scope.findings.keys
    }
}
