/// One numbered schema migration from `sql/`.
public struct Migration: Sendable, Equatable {
    /// The file name, e.g. `0003_pupils.sql`.
    public let name: String
    /// The file's text.
    public let sql: String

    /// The number the file name starts with.
    public var version: Int { Int(name.prefix(while: \.isNumber)) ?? 0 }

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    /// The schema level this build of inclusiond and inclusionctl needs: the newest embedded migration.
    public static var currentVersion: Int { embedded.map(\.version).max() ?? 0 }
}
