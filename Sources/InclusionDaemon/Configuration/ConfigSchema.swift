import Yams

/// The keys `inclusiond.yaml` may hold, for `--check-config` to name the ones it does not know (misspellings)
/// and the ones of the wrong shape. swift-configuration reads keys, not documents, so the file's own keys are read
/// here with Yams. The keys are not listed here but taken from the readers (``DaemonConfiguration/keysRead``), so
/// the schema and the readers cannot disagree.
enum ConfigSchema {
    enum Shape: Equatable {
        case scalar, list, map
    }

    /// The known keys, as dotted paths (`*` standing for a webhook's name): every key the configuration's readers
    /// read (``DaemonConfiguration/keysRead``) and every key in ``notYetRead``, with the maps that hold them. The job
    /// keys are those of ``JobSettings/known`` and ``JobSettings/later`` only, so a misspelt job is an unknown key.
    static let keys: [String: Shape] = {
        var keys = DaemonConfiguration.keysRead.merging(notYetRead) { read, _ in read }
        for key in Array(keys.keys) {
            var path = key.split(separator: ".")
            while path.count > 1 {
                path.removeLast()
                keys[path.joined(separator: ".")] = .map
            }
        }
        return keys
    }()

    /// Keys the file may hold that this version accepts (their shape is checked) but does not read yet: the
    /// retention settings, and the settings of the jobs of later versions (logged as ignored).
    static let notYetRead: [String: Shape] = {
        var keys: [String: Shape] = ["retention.years-after-birth": .scalar]
        for job in JobSettings.later {
            let settings = ConfigScope.keys { scope in
                var settings = JobSettings()
                settings.read(scope.scoped(to: "jobs").scoped(to: job))
            }
            keys.merge(settings) { first, _ in first }
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
