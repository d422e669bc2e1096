public import Postgres

extension Connection {
    /// Runs a statement, translating PostgreSQL's errors into ``StoreError``s a user can act on.
    @discardableResult
    public func run(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws(StoreError) -> QueryResult {
        do { return try query(sql, parameters) } catch { throw StoreError(error) }
    }

    /// Runs a statement prepared once per session (``Connection/query(prepared:_:)``), translating its errors as
    /// ``run(_:_:)`` does: for the statements a loop sends many times.
    @discardableResult
    public func run(prepared sql: SQL, _ parameters: [any PostgresBindable] = []) throws(StoreError) -> QueryResult {
        do { return try query(prepared: sql, parameters) } catch { throw StoreError(error) }
    }

    /// Runs `body` in a transaction; whatever it throws arrives as a ``StoreError`` (see
    /// ``StoreError/init(wrapping:)``).
    public func storeTransaction<T>(_ body: (Connection) throws -> T) throws(StoreError) -> T {
        try StoreError.translating { try transaction(.readCommitted, body) }
    }
}
