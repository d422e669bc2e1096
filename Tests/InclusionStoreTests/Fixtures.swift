import InclusionCore
import Postgres
import Testing

/// A valid UPN: the DfE check letter (InclusionCore's) before the 12 characters given.
func validUPN(_ body: String) -> String {
    String(UPN.checkLetter(for: body) ?? "A") + body
}

/// The first column of the first row a statement returns, decoded (the test fails when there is no row).
func firstValue<T: PostgresDecodable>(
    _ connection: Connection,
    _ sql: SQL,
    _ parameters: [any PostgresBindable] = []
) throws -> T {
    try #require(try connection.query(sql, parameters).first).decode(T.self, 0)
}
