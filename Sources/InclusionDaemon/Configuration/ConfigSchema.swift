import Yams

/// The keys `inclusiond.yaml` may hold, for `--check-config` to name the ones it does not know (misspellings)
/// and the ones of the wrong shape. swift-configuration reads keys, not documents, so the file's own keys are read
/// here with Yams.
enum ConfigSchema {
    enum Shape: Equatable {
        case scalar, list, map
    }

    /// Dotted key patterns; `*` stands for a webhook's name. `jobs.*` stands for the names of
    /// ``JobSettings/known`` and ``JobSettings/later`` only (see ``keys``), so a misspelt job is an unknown key.
    static let patterns: [String: Shape] = [
        "database": .map,
        "database.url": .scalar,
        "database.allow-superuser": .scalar,
        "database.start-timeout": .scalar,
        "database.statement-timeout": .scalar,
        "database.lock-timeout": .scalar,
        "instance": .map,
        "instance.name": .scalar,
        "instance.heartbeat": .scalar,
        "timezone": .scalar,
        "log-level": .scalar,
        "shutdown-grace": .scalar,
        "jobs": .map,
        "jobs.*": .map,
        "jobs.*.schedule": .scalar,
        "jobs.*.max-attempts": .scalar,
        "jobs.*.lease": .scalar,
        "jobs.*.retry-base": .scalar,
        "jobs.*.retry-max": .scalar,
        "jobs.*.duration": .scalar,
        "jobs.*.fail": .scalar,
        // Phase-transfer year groups and deadlines are per school, in the database (`inclusionctl school set
        // --transfer`), not here.
        "rules": .map,
        "rules.plan-review-due": .map,
        "rules.plan-review-due.days-ahead": .scalar,
        "rules.ehcp-annual-review": .map,
        "rules.ehcp-annual-review.days-ahead": .scalar,
        "rules.ehcp-annual-review.arrange-meeting-weeks": .scalar,
        "rules.ehcp-early-years-review": .map,
        "rules.ehcp-early-years-review.cycle": .scalar,
        "rules.intervention-delivery-lapsed": .map,
        "rules.intervention-delivery-lapsed.school-days": .scalar,
        "rules.intervention-low-delivery": .map,
        "rules.intervention-low-delivery.min-rate": .scalar,
        "rules.sen-without-plan": .map,
        "rules.sen-without-plan.grace-days": .scalar,
        "rules.case-stale": .map,
        "rules.case-stale.days": .scalar,
        "retention": .map,
        "retention.years-after-birth": .scalar,
        "alerts": .map,
        "alerts.escalate-after": .scalar,
        "alerts.email": .map,
        "alerts.email.sendmail": .scalar,
        "alerts.email.from": .scalar,
        "alerts.retry-schedule": .list,
        "alerts.webhooks": .list,
        "alerts.webhook": .map,
        "alerts.webhook.*": .map,
        "alerts.webhook.*.url": .scalar,
        "alerts.webhook.*.secret-file": .scalar,
        "alerts.webhook-timeout": .scalar,
        "http": .map,
        "http.listen": .scalar,
    ]

    /// The known keys: ``patterns`` with `jobs.*` written out for each job of this version and of later ones.
    static let keys: [String: Shape] = {
        var keys: [String: Shape] = [:]
        for (pattern, shape) in patterns {
            if pattern.hasPrefix("jobs.*") {
                for job in JobSettings.known + JobSettings.later {
                    keys["jobs." + job + pattern.dropFirst("jobs.*".count)] = shape
                }
            } else {
                keys[pattern] = shape
            }
        }
        return keys
    }()

    /// Keys the file may hold that this version accepts (their shape is checked) but does not read yet: the
    /// delivery and retention settings, and the jobs of later versions (logged as ignored).
    static let notYetRead: Set<String> = {
        var keys: Set<String> = [
            "retention.years-after-birth"
        ]
        for job in JobSettings.later {
            for setting in ["schedule", "max-attempts", "lease", "retry-base", "retry-max", "duration", "fail"] {
                keys.insert("jobs.\(job).\(setting)")
            }
        }
        return keys
    }()

    /// The keys that hold values (not maps), as dotted paths.
    static var leaves: Set<String> { Set(keys.filter { $0.value != .map }.keys) }

    /// The dotted keys of the values (not maps) a YAML document holds, for tests that compare a file with the
    /// schema.
    static func leaves(in yaml: String) throws -> Set<String> {
        guard let mapping = try Yams.compose(yaml: yaml)?.mapping else { return [] }
        var leaves: Set<String> = []
        func collect(_ mapping: Node.Mapping, _ prefix: [String]) {
            for (key, value) in mapping {
                let path = prefix + [key.string ?? "?"]
                if let inner = value.mapping {
                    collect(inner, path)
                } else {
                    leaves.insert(path.joined(separator: "."))
                }
            }
        }
        collect(mapping, [])
        return leaves
    }

    /// Every problem with the shape of a YAML document: unknown keys, and maps or lists where they do not belong.
    static func problems(in yaml: String) -> [ConfigurationError] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            return [ConfigurationError(key: "(file)", "is not valid YAML: \(error)")]
        }
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            return [ConfigurationError(key: "(file)", "the top level must be a map of keys")]
        }
        var problems: [ConfigurationError] = []
        walk(mapping, prefix: [], into: &problems)
        return problems
    }

    static func walk(_ mapping: Node.Mapping, prefix: [String], into problems: inout [ConfigurationError]) {
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "?"
            let path = prefix + [key]
            let dotted = path.joined(separator: ".")
            guard let shape = shape(of: path) else {
                let hint = suggestion(for: path).map { " (did you mean \($0)?)" } ?? ""
                problems.append(ConfigurationError(key: dotted, "is not a key inclusiond knows\(hint)"))
                continue
            }
            switch (shape, value) {
            case (.map, .mapping(let inner)):
                walk(inner, prefix: path, into: &problems)
            case (.scalar, .scalar), (.list, .sequence):
                break
            case (.list, .scalar(let scalar)) where scalar.string.isEmpty:
                break
            default:
                let expected = shape == .map ? "a map of keys" : shape == .list ? "a list" : "a single value"
                problems.append(ConfigurationError(key: dotted, "should be \(expected)"))
            }
        }
    }

    static func shape(of path: [String]) -> Shape? {
        for (pattern, shape) in keys {
            let parts = pattern.split(separator: ".").map(String.init)
            guard parts.count == path.count else { continue }
            if zip(parts, path).allSatisfy({ $0 == "*" || $0 == $1 }) { return shape }
        }
        return nil
    }

    /// The known key closest to a misspelt one (edit distance at most 3), for the error message.
    static func suggestion(for path: [String]) -> String? {
        let dotted = path.joined(separator: ".")
        var best: (key: String, distance: Int)?
        for pattern in keys.keys where pattern.split(separator: ".").count == path.count {
            let parts = pattern.split(separator: ".").map(String.init)
            let candidate = zip(parts, path).map { $0 == "*" ? $1 : $0 }.joined(separator: ".")
            let distance = editDistance(candidate, dotted)
            if distance <= 3, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.key
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
