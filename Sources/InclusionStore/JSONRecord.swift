import Foundation

/// Decodes JSON that PostgreSQL built (jsonb_agg …) into the store's records.
enum JSONRecord {
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
