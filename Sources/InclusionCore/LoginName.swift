/// A PostgreSQL login role name as a person types it: `staff add --login`, `staff disable`, `--key-worker`.
///
/// PostgreSQL keeps at most 63 bytes of a name and silently drops the rest, so a 64-byte login would become another
/// (shorter) role, and a key worker's name would be stored cut short. Names beginning `pg_` are reserved by
/// PostgreSQL for its own roles. Both are refused here, before any query, with the field named.
public enum LoginName {
    /// The most bytes (UTF-8) PostgreSQL keeps of a name (`NAMEDATALEN` - 1).
    public static let maxBytes = 63

    /// Returns `text` unchanged if it can be a login role name.
    ///
    /// - Throws: a ``ValidationError`` for `field` when the name is empty, longer than ``maxBytes`` bytes, holds a
    ///   control character, or begins with `pg_`.
    public static func validate(_ text: String, field: String) throws(ValidationError) -> String {
        if text.isEmpty {
            throw ValidationError(field: field, message: "is empty; give the login's name")
        }
        if text.unicodeScalars.contains(where: TerminalText.needsEscape) {
            throw ValidationError(
                field: field,
                message: "contains a control character (a line break, tab or escape); a login name cannot"
            )
        }
        let bytes = text.utf8.count
        if bytes > maxBytes {
            throw ValidationError(
                field: field,
                message: "is too long (\(bytes) bytes; PostgreSQL keeps at most \(maxBytes) and would silently cut "
                    + "it short); no login can be this long"
            )
        }
        if text.prefix(3).lowercased() == "pg_" {
            throw ValidationError(
                field: field,
                message: "begins with pg_, which PostgreSQL reserves for its own roles; choose another login"
            )
        }
        return text
    }
}
