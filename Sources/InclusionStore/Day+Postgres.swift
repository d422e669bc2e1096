public import InclusionCore
public import Postgres

/// A `Day` travels as a PostgreSQL `date` in text form: bound as `YYYY-MM-DD` and read back from a `date` column
/// without a `::text` cast, because every session runs with `DateStyle = 'ISO, YMD'` (see `Connection`), which makes
/// the server's text form of a date exactly ``Day/description``.
///
/// The conformance lives here rather than in the `Postgres` module or in `InclusionCore`: the core stays free of
/// any database module, and the wrapper knows nothing of the domain. A hook in the wrapper (a protocol the core
/// could adopt) would still need this declaration in a module that sees both, so it would add a protocol and save
/// nothing. No `@retroactive` is needed (the compiler refuses it here): `Day` and the protocols belong to this
/// package, so no module outside it can declare the same conformance differently, which is the clash it guards
/// against.
extension Day: PostgresBindable, PostgresDecodable {
    public var postgresText: String? { description }

    /// Decodes a `date` column's ISO text. SQL NULL, and text that is not a day in `YYYY-MM-DD` form (`infinity`,
    /// a BC date, a year past 9999), are a ``PostgresError`` with code `.decoding` naming `Day`; the text itself is
    /// not repeated.
    public static func decode(postgresText text: String?) throws(PostgresError) -> Day {
        guard let text else {
            throw PostgresError(code: .decoding, serverMessage: "unexpected NULL for Day")
        }
        do {
            return try Day(iso: text)
        } catch {
            throw PostgresError(code: .decoding, serverMessage: "column text is not a valid Day")
        }
    }
}
