import ArgumentParser
import InclusionCore
import InclusionStore
import Postgres

/// Wraps a record so its JSON document carries `"version": 1` beside the record's own fields.
struct Versioned<T: Encodable>: Encodable {
    let value: T

    init(_ value: T) { self.value = value }

    enum CodingKeys: String, CodingKey { case version }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(1, forKey: .version)
    }
}
