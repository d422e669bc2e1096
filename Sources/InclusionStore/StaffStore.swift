import InclusionCore
public import Postgres

/// A person's login and what they may see.
public struct StaffMember: Codable, Sendable, Equatable {
    public let login: String
    public let name: String
    public let role: String
    public let email: String?
    public let schools: [Int]
    public let disabled: Bool
}

/// Staff logins. Adding and disabling go through SECURITY DEFINER functions, so admins need no CREATEROLE.
public struct StaffStore {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Adds a person. A password is turned into a SCRAM-SHA-256 verifier by libpq here, so the clear text never
    /// reaches the server (or its logs).
    public func add(
        login: String,
        name: String,
        role: StaffRole,
        schools: [Int],
        email: String?,
        password: String?
    ) throws(StoreError) -> Int64 {
        try StoreError.translating {
            var verifier: String?
            if let password {
                verifier = try connection.encryptPassword(password, user: login)
            }
            return try connection.run(
                "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], $5, $6) AS id",
                [login, name, role, PostgresArray(schools), email, verifier]
            )[0].decode(Int64.self, "id")
        }
    }

    /// Checks that `login` can be the key worker of a pupil at `school` (its id): an enabled login of an admin, a
    /// SENCO or a member of staff who, unless an admin, works at that school. The database answers through a
    /// SECURITY DEFINER function, since SENCOs may not read the staff list; it tells them only about their schools.
    ///
    /// - Throws: ``StoreError`` `.invalid` (field `key-worker`) naming what is wrong.
    public func checkKeyWorker(_ login: String, school: Int) throws(StoreError) {
        try StoreError.translating {
            let problem = try connection.run(
                "SELECT inclusion.key_worker_problem($1, $2) AS problem",
                [login, school]
            )[0].decode(String?.self, "problem")
            guard let problem else { return }
            func refuse(_ message: String) -> StoreError { StoreError.invalid("key-worker", message) }
            switch problem {
            case "unknown":
                throw refuse("no staff login has this name; check the spelling (an admin's `staff list` shows them)")
            case "disabled":
                throw refuse("that login is disabled; choose a current member of staff")
            case "elsewhere":
                throw refuse(
                    "that member of staff does not work at this pupil's school; choose someone who works there"
                )
            default:
                let role = problem.hasPrefix("role:") ? String(problem.dropFirst(5)) : problem
                throw refuse("that is a \(role) login, not a member of staff who works with pupils")
            }
        }
    }

    public func disable(login: String) throws(StoreError) {
        try connection.run("SELECT inclusion.staff_disable($1)", [login])
    }

    public func list() throws(StoreError) -> [StaffMember] {
        try StoreError.translating {
            try connection.run(
                """
                SELECT s.login, s.display_name, s.role, s.email, s.disabled_at IS NOT NULL AS disabled,
                       coalesce(array_agg(sc.urn ORDER BY sc.urn) FILTER (WHERE sc.urn IS NOT NULL), '{}') AS schools
                FROM inclusion.staff s
                LEFT JOIN inclusion.staff_school m ON m.staff_id = s.id
                LEFT JOIN inclusion.school sc ON sc.id = m.school_id
                GROUP BY s.id ORDER BY s.login
                """
            ).map { row in
                StaffMember(
                    login: try row.decode(String.self, "login"),
                    name: try row.decode(String.self, "display_name"),
                    role: try row.decode(String.self, "role"),
                    email: try row.decode(String?.self, "email"),
                    schools: try row.decode(PostgresTextArray.self, "schools").elements.compactMap {
                        $0.flatMap { Int($0) }
                    },
                    disabled: try row.decode(Bool.self, "disabled")
                )
            }
        }
    }
}
