import InclusionCore
public import Postgres

/// A school of the trust.
public struct School: Codable, Sendable, Equatable {
    public let id: Int
    public let urn: Int
    public let name: String
    public let la: Int
    public let estab: Int?
    /// The year groups that transfer phase at the end of the year and by which deadline, youngest first.
    public let transfers: [SchoolTransfer]
}

/// One year group of a school whose pupils transfer phase at the end of the academic year, with the reg 18(1)
/// deadline for their amended plans.
public struct SchoolTransfer: Codable, Sendable, Equatable {
    public let yearGroup: YearGroup
    public let deadline: PhaseTransferDeadline.Deadline

    public init(yearGroup: YearGroup, deadline: PhaseTransferDeadline.Deadline) {
        self.yearGroup = yearGroup
        self.deadline = deadline
    }

    enum CodingKeys: String, CodingKey {
        case yearGroup = "year_group"
        case deadline
    }
}

/// A term of one school, with its closures.
public struct Term: Codable, Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let from: Day
    public let to: Day
    public let closures: [Closure]
}

/// A closure inside a term (INSET day, half term, bank holiday).
public struct Closure: Codable, Sendable, Equatable {
    public let id: Int64
    public let from: Day
    public let to: Day
    public let reason: String
}

/// Schools, their terms and closures. Every statement runs as the caller, under row-level security.
public struct SchoolStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    public func add(urn: Int, name: String, la: Int, estab: Int?) throws(StoreError) -> Int64 {
        try StoreError.translating {
            try insertReturningID(
                "INSERT INTO inclusion.school (urn, name, la_number, estab_number) VALUES ($1, $2, $3, $4) RETURNING id",
                [urn, name, la, estab]
            )
        }
    }

    public func list() throws(StoreError) -> [School] {
        try StoreError.translating {
            try connection.query(
                """
                SELECT s.id, s.urn, s.name, s.la_number, s.estab_number,
                       coalesce((SELECT jsonb_agg(jsonb_build_object('year_group', t.year_group, 'deadline', t.deadline)
                           ORDER BY array_position(ARRAY['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9',
                               '10', '11', '12', '13', '14'], t.year_group))
                           FROM inclusion.school_transfer t WHERE t.school_id = s.id), '[]')::text AS transfers
                FROM inclusion.school s ORDER BY s.urn
                """
            ).map {
                School(
                    id: try $0.decode(Int.self, "id"),
                    urn: try $0.decode(Int.self, "urn"),
                    name: try $0.decode(String.self, "name"),
                    la: try $0.decode(Int.self, "la_number"),
                    estab: try $0.decode(Int?.self, "estab_number"),
                    transfers: try JSONRecord.decode(
                        [SchoolTransfer].self,
                        from: try $0.decode(String.self, "transfers")
                    )
                )
            }
        }
    }

    /// Changes a school's name and which year groups transfer phase: each of `transfers` replaces its year group's
    /// row, each of `removing` deletes its year group's row. One transaction; returns the school's id. Admins, and
    /// SENCOs for their schools' transfers (row security decides; only admins rename a school).
    public func set(
        urn: Int,
        name: String?,
        transfers: [SchoolTransfer],
        removing: [YearGroup]
    ) throws(StoreError) -> Int {
        try connection.storeTransaction { connection in
            let school = try SchoolStore(connection: connection).id(urn: urn)
            if let name {
                try connection.run("UPDATE inclusion.school SET name = $2 WHERE id = $1", [school, name])
            }
            for transfer in transfers {
                try connection.run(
                    """
                    INSERT INTO inclusion.school_transfer (school_id, year_group, deadline) VALUES ($1, $2, $3)
                    ON CONFLICT (school_id, year_group) DO UPDATE SET deadline = EXCLUDED.deadline
                    """,
                    [school, transfer.yearGroup, transfer.deadline]
                )
            }
            for year in removing {
                try connection.run(
                    "DELETE FROM inclusion.school_transfer WHERE school_id = $1 AND year_group = $2",
                    [school, year]
                )
            }
            return school
        }
    }

    /// The id of a school the caller can see, by URN.
    public func id(urn: Int) throws(StoreError) -> Int {
        try StoreError.translating {
            let rows = try connection.run("SELECT id FROM inclusion.school WHERE urn = $1", [urn])
            guard let row = rows.first else {
                throw StoreError.notFound("school", "no school with URN \(urn) is visible to your login")
            }
            return try row.decode(Int.self, "id")
        }
    }

    public func addTerm(school: Int, name: String, from: Day, to: Day) throws(StoreError) -> Int64 {
        try StoreError.translating {
            try insertReturningID(
                "INSERT INTO inclusion.term (school_id, name, first_day, last_day) VALUES ($1, $2, $3::date, $4::date) RETURNING id",
                [school, name, from, to]
            )
        }
    }

    public func addClosure(school: Int, from: Day, to: Day, reason: String) throws(StoreError) -> Int64 {
        try StoreError.translating {
            try insertReturningID(
                """
                INSERT INTO inclusion.closure (school_id, first_day, last_day, reason)
                VALUES ($1, $2::date, $3::date, $4) RETURNING id
                """,
                [school, from, to, reason]
            )
        }
    }

    /// A school's terms in date order, each with its closures.
    public func terms(school: Int) throws(StoreError) -> [Term] {
        try StoreError.translating {
            let rows = try connection.run(
                """
                SELECT t.id, t.name, t.first_day, t.last_day,
                       coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'from', c.first_day, 'to', c.last_day,
                           'reason', c.reason) ORDER BY c.first_day) FILTER (WHERE c.id IS NOT NULL), '[]')::text
                           AS closures
                FROM inclusion.term t
                LEFT JOIN inclusion.closure c ON c.school_id = t.school_id AND c.first_day BETWEEN t.first_day AND t.last_day
                WHERE t.school_id = $1
                GROUP BY t.id ORDER BY t.first_day
                """,
                [school]
            )
            return try rows.map { row in
                Term(
                    id: try row.decode(Int64.self, "id"),
                    name: try row.decode(String.self, "name"),
                    from: try row.decode(Day.self, "first_day"),
                    to: try row.decode(Day.self, "last_day"),
                    closures: try JSONRecord.decode([Closure].self, from: try row.decode(String.self, "closures"))
                )
            }
        }
    }

    /// The term calendar the review rules need, for one school.
    public func termDates(school: Int) throws(StoreError) -> [TermDates] {
        try terms(school: school).map { TermDates(name: $0.name, first: $0.from, last: $0.to) }
    }

    /// Runs an INSERT that ends `RETURNING id` and reads the id.
    func insertReturningID(_ sql: SQL, _ parameters: [any PostgresBindable]) throws -> Int64 {
        try connection.run(sql, parameters)[0].decode(Int64.self, "id")
    }
}
