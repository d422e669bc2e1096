public import Postgres

extension Connection {
    /// Runs a statement, translating PostgreSQL's errors into ``StoreError``s a user can act on.
    @discardableResult
    public func run(_ sql: SQL, _ parameters: [any PostgresBindable] = []) throws(StoreError) -> QueryResult {
        do { return try query(sql, parameters) } catch { throw StoreError(error) }
    }

    /// Runs `body` in a transaction, translating PostgreSQL's errors.
    public func storeTransaction<T>(_ body: (Connection) throws -> T) throws -> T {
        do {
            return try transaction(.readCommitted, body)
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }
}
