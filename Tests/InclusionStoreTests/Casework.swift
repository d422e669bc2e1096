import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres

/// A school with terms, a second school, a SENCO of both and a member of staff of the first, set up by the owner.
struct Casework: Sendable {
    enum Login: String { case senco = "senco1", staff = "staff1" }

    static let schoolURN = 140_001
    static let otherSchoolURN = 140_002

    let database: TestDatabase
    let schoolID: Int
    let otherSchoolID: Int

    init(database: TestDatabase) throws {
        self.database = database
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        let schools = SchoolStore(connection: owner)
        _ = try schools.add(urn: Self.schoolURN, name: "Oak Primary", la: 380, estab: 2001)
        _ = try schools.add(urn: Self.otherSchoolURN, name: "Elm Primary", la: 380, estab: 2002)
        schoolID = try schools.id(urn: Self.schoolURN)
        otherSchoolID = try schools.id(urn: Self.otherSchoolURN)
        for (name, from, to) in [
            ("Autumn 2026", "2025-09-02", "2025-12-18"), ("Spring 2027", "2026-01-05", "2026-03-26"),
            ("Summer 2027", "2026-04-12", "2026-07-21"),
        ] {
            _ = try schools.addTerm(school: schoolID, name: name, from: day(from), to: day(to))
        }
        for (login, role, schools) in [
            (Login.senco, "senco", [schoolID, otherSchoolID]), (Login.staff, "staff", [schoolID]),
        ] {
            try owner.run(
                "SELECT inclusion.staff_add($1, $2, $3, $4::integer[], NULL, NULL)",
                [database.login(login.rawValue), "Test \(role)", role, PostgresArray(schools)]
            )
        }
    }

    func connect(_ login: Login) throws -> Connection {
        try database.connect(as: database.login(login.rawValue))
    }

    /// Adds a pupil (as the owner) with a UPN made from `serial`, and finds them as the caller of `connection`.
    func pupil(
        _ serial: Int,
        born: String = "2017-10-10",
        year: YearGroup = .year3,
        school: Int? = nil,
        on connection: Connection
    ) throws -> PupilRef {
        let digits = String(serial)
        let body = "8" + String(repeating: "0", count: 11 - digits.count) + digits
        let upn = try UPN(String(UPN.checkLetter(for: body)!) + body)
        var fields = PupilFields()
        fields.givenName = "Pupil"
        fields.familyName = "Number \(serial)"
        fields.dateOfBirth = day(born)
        fields.yearGroup = year
        fields.senStatus = .senSupport
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        _ = try PupilStore(connection: owner).add(
            school: school ?? schoolID,
            upn: upn,
            fields: fields,
            today: day("2025-09-07")
        )
        return try PupilStore(connection: connection).resolve(upn: upn)
    }
}

/// A day from ISO text; the tests' dates are literals, so a bad one is a bug in the test.
func day(_ text: String) -> Day {
    try! Day(iso: text)
}
