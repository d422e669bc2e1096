import Foundation
import InclusionCore
import InclusionStore
import InclusionTestSupport
import Postgres
import Testing

/// `pupil import` against a real PostgreSQL, run as an admin login (never the superuser, whom RLS does not bind).
/// Every test imports into schools of its own, so the tests run in parallel on one database.
@Suite("Pupil import")
struct PupilImportTests {
    static let database = Result { try TestDatabase.create(suite: "pupilimport") }
    /// The database with its admin login added (once, as the owner).
    static let fixture = Result { () throws -> TestDatabase in
        let database = try PupilImportTests.database.get()
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        try owner.query(
            "SELECT inclusion.staff_add($1, 'Admin', 'admin', NULL, NULL, NULL)",
            [database.login("admin1")]
        )
        return database
    }

    /// The import's "today": academic year 2025/26.
    static let today = Day(year: 2026, month: 3, day: 10)!
    static let header =
        "upn,given_name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need,"
        + "eal,pupil_premium,looked_after,young_carer"

    // MARK: Fixtures

    /// Adds a school as the owner; returns its id.
    static func addSchool(urn: Int) throws -> Int {
        let database = try fixture.get()
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        return try owner.query(
            "INSERT INTO inclusion.school (urn, name, la_number) VALUES ($1, $2, 873) RETURNING id",
            [urn, "School \(urn)"]
        )[0].decode(Int.self, 0)
    }

    static func connectAsAdmin() throws -> Connection {
        let database = try fixture.get()
        return try database.connect(as: database.login("admin1"))
    }

    /// A valid UPN: `A` to `Z` check letter over 12 digits made from `number`.
    static func upn(_ number: Int) -> String {
        let digits = String(number)
        let body = String(repeating: "0", count: 12 - digits.count) + digits
        return String(UPN.checkLetter(for: body)!) + body
    }

    /// One good pupil: a date of birth matching the year group, some with SEN support or an EHC plan and needs.
    struct Pupil {
        var upn: String
        var givenName: String
        var familyName: String
        var dateOfBirth: Day
        var yearGroup: String
        var senStatus: String
        var primaryNeed: String
        var secondaryNeed: String
        var eal: Bool
        var pupilPremium: Bool

        init(_ number: Int) {
            upn = PupilImportTests.upn(number)
            givenName = "Given\(number)"
            familyName = "Family\(number)"
            dateOfBirth = Day(year: 2011 + number % 9, month: 1 + number % 12, day: 1 + number % 28)!
            yearGroup = YearGroup.expected(dateOfBirth: dateOfBirth, in: AcademicYear(containing: today))!.rawValue
            let needs = ["SPLD", "MLD", "SEMH", "SLCN", "ASD"]
            switch number % 20 {
            case 0:
                senStatus = "E"
                primaryNeed = needs[number % 5]
                secondaryNeed = needs[(number + 1) % 5]
            case 1, 7:
                senStatus = "K"
                primaryNeed = needs[number % 5]
                secondaryNeed = ""
            default:
                senStatus = "N"
                primaryNeed = ""
                secondaryNeed = ""
            }
            eal = number % 7 == 0
            pupilPremium = number % 3 == 0
        }

        var line: String {
            [
                upn, givenName, familyName, dateOfBirth.description, yearGroup, senStatus, primaryNeed, secondaryNeed,
                eal ? "yes" : "no", pupilPremium ? "yes" : "no", "no", "no",
            ].joined(separator: ",")
        }
    }

    static func csv(_ pupils: [Pupil]) -> String {
        ([header] + pupils.map(\.line)).joined(separator: "\n") + "\n"
    }

    /// Imports `text`, handing it to the importer in small chunks so records straddle chunk boundaries.
    static func importCSV(
        _ text: String,
        school: Int,
        connection: Connection,
        chunk: Int = 1000
    ) throws -> PupilImporter.Summary {
        let bytes = Array(text.utf8)
        var offset = 0
        return try PupilImporter(connection: connection).importCSV(school: school, today: today) {
            () -> ArraySlice<UInt8>? in
            guard offset < bytes.count else { return nil }
            defer { offset += chunk }
            return bytes[offset..<min(offset + chunk, bytes.count)]
        }
    }

    /// Runs an import that must fail and returns its failure.
    static func failingImport(_ text: String, school: Int, connection: Connection) throws -> PupilImporter.Failure {
        do {
            let summary = try importCSV(text, school: school, connection: connection)
            Issue.record("the import succeeded: \(summary)")
            throw TestDatabaseError("expected the import to fail")
        } catch let failure as PupilImporter.Failure {
            return failure
        }
    }

    static func pupilCount(school: Int, connection: Connection) throws -> Int {
        try connection.query("SELECT count(*) FROM inclusion.pupil WHERE school_id = $1", [school])[0]
            .decode(Int.self, 0)
    }

    /// Audit events about a school's rows, counted as the owner.
    static func auditEvents(school: Int) throws -> Int {
        let database = try fixture.get()
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        // Pupils and needs only: adding the school itself writes its default phase-transfer rows.
        return try owner.query(
            """
            SELECT count(*) FROM inclusion.audit_event
            WHERE school_id = $1 AND table_name IN ('pupil', 'pupil_need')
            """,
            [school]
        )[0].decode(Int.self, 0)
    }

    /// A stored pupil's fields and needs, as text, for comparing with what the file said.
    static func stored(upn: String, school: Int, connection: Connection) throws -> [String: String] {
        let row = try #require(
            connection.query(
                """
                SELECT given_name, family_name, date_of_birth::text, year_group, academic_year::text, sen_status,
                       coalesce(sen_status_since::text, ''), eal::text, pupil_premium::text, looked_after::text,
                       coalesce((SELECT string_agg(n.code || ':' || n.rank, ',' ORDER BY n.rank, n.code)
                                 FROM inclusion.pupil_need n WHERE n.pupil_id = p.id), '')
                FROM inclusion.pupil p WHERE p.school_id = $1 AND p.upn = $2
                """,
                [school, upn]
            ).first
        )
        let names = [
            "given_name", "family_name", "date_of_birth", "year_group", "academic_year", "sen_status",
            "sen_status_since", "eal", "pupil_premium", "looked_after", "needs",
        ]
        var values: [String: String] = [:]
        for (index, name) in names.enumerated() { values[name] = try row.decode(String.self, index) }
        return values
    }

    // MARK: Tests

    @Test func aThousandGoodRowsImport() throws {
        let school = try Self.addSchool(urn: 700001)
        let connection = try Self.connectAsAdmin()
        let pupils = (1...1000).map { Pupil($0) }
        let summary = try Self.importCSV(Self.csv(pupils), school: school, connection: connection)
        #expect(summary.added == 1000)
        #expect(summary.updated == 0)
        #expect(summary.unchanged == 0)
        #expect(summary.rows == 1000)
        #expect(summary.warnings.isEmpty)
        #expect(try Self.pupilCount(school: school, connection: connection) == 1000)

        let sample = pupils[39]  // number 40: an EHC plan with two needs, EAL no, pupil premium no
        #expect(
            try Self.stored(upn: sample.upn, school: school, connection: connection) == [
                "given_name": "Given40", "family_name": "Family40", "date_of_birth": sample.dateOfBirth.description,
                "year_group": sample.yearGroup, "academic_year": "2025", "sen_status": "E",
                "sen_status_since": "2026-03-10", "eal": "false", "pupil_premium": "false", "looked_after": "false",
                "needs": "\(sample.primaryNeed):primary,\(sample.secondaryNeed):secondary",
            ]
        )
        let plain = pupils[20]  // number 21: SEN support with one need, EAL and pupil premium
        let stored = try Self.stored(upn: plain.upn, school: school, connection: connection)
        #expect(stored["sen_status"] == "K")
        #expect(stored["needs"] == "\(plain.primaryNeed):primary")
        #expect(stored["eal"] == "true")
        #expect(stored["pupil_premium"] == "true")
        let needs = try connection.query(
            "SELECT count(*) FROM inclusion.pupil_need WHERE school_id = $1",
            [school]
        )[0].decode(Int.self, 0)
        #expect(needs == 50 * 2 + 100)  // 50 pupils with E and two needs, 100 with K and one
    }

    @Test func oneBadRowImportsNothingAndNamesItsLine() throws {
        let school = try Self.addSchool(urn: 700002)
        let connection = try Self.connectAsAdmin()
        var lines = Self.csv((1...1000).map { Pupil($0) }).split(separator: "\n").map(String.init)
        // Line 438 (the header is line 1): swap the check letter for another.
        let upn = lines[437].prefix(13)
        let wrongLetter = upn.first == "A" ? "B" : "A"
        lines[437] = wrongLetter + lines[437].dropFirst()
        let failure = try Self.failingImport(lines.joined(separator: "\n"), school: school, connection: connection)
        #expect(failure.invalidRows == 1)
        #expect(failure.problems.map(\.line) == [438])
        #expect(failure.problems.map(\.field) == ["upn"])
        #expect(failure.problems.first?.message.contains("check letter") == true)
        #expect(failure.unlistedProblems == 0)
        #expect(try Self.pupilCount(school: school, connection: connection) == 0)
        #expect(try Self.auditEvents(school: school) == 0)
    }

    @Test func everyBadRowIsListedWithItsLine() throws {
        let school = try Self.addSchool(urn: 700003)
        let connection = try Self.connectAsAdmin()
        let bad = (1...8).map { Pupil($0) }
        var text = Self.header + "\n" + bad[0].line + "\n"  // line 2: good
        text += bad[1].line.replacingOccurrences(of: bad[1].dateOfBirth.description, with: "2015-02-30") + "\n"  // 3
        var unknownNeed = bad[2]
        unknownNeed.senStatus = "K"
        unknownNeed.primaryNeed = "XYZ"
        text += unknownNeed.line + "\n"  // line 4
        var nsaWithPlan = bad[3]
        nsaWithPlan.senStatus = "E"
        nsaWithPlan.primaryNeed = "NSA"
        text += nsaWithPlan.line + "\n"  // line 5
        text += bad[4].line + ",extra\n"  // line 6: 13 fields
        text += bad[5].line + "\n"  // line 7: good
        var repeated = bad[6]
        repeated.upn = bad[0].upn
        text += repeated.line + "\n"  // line 8: the UPN of line 2
        var tooYoung = bad[7]
        tooYoung.dateOfBirth = Day(year: 2025, month: 10, day: 1)!  // after 1 September of the academic year
        text += tooYoung.line + "\n"  // line 9
        text += bad[1].line + "\n"  // line 10: good, but the UPN of line 3 (whose date was bad)

        let failure = try Self.failingImport(text, school: school, connection: connection)
        #expect(failure.invalidRows == 7)
        #expect(failure.problems.map(\.line) == [3, 4, 5, 6, 8, 9, 10])
        #expect(
            failure.problems.map(\.field) == [
                "date_of_birth", "primary_need", "primary_need", "row", "upn", "date_of_birth", "upn",
            ]
        )
        #expect(failure.problems[4].message.contains("line 2"))
        #expect(failure.problems[6].message.contains("line 3"))
        #expect(failure.problems[3].message.contains("13 fields"))
        #expect(failure.unlistedProblems == 0)
        #expect(try Self.pupilCount(school: school, connection: connection) == 0)
    }

    @Test func listedProblemsStopAtAThousandAndTheRestAreCounted() throws {
        let school = try Self.addSchool(urn: 700004)
        let connection = try Self.connectAsAdmin()
        // Every row ends with young_carer "no": make it "maybe" (not yes or no).
        let lines = (1...1500).map { String(Pupil($0).line.dropLast(3)) + ",maybe" }
        let failure = try Self.failingImport(
            ([Self.header] + lines).joined(separator: "\n"),
            school: school,
            connection: connection
        )
        #expect(failure.invalidRows == 1500)
        #expect(failure.problems.count == PupilImporter.maxListed)
        #expect(failure.problems.map(\.line) == Array(2...1001))
        #expect(failure.problems.allSatisfy { $0.field == "young_carer" })
        #expect(failure.unlistedProblems == 500)
    }

    @Test func quotedFieldsBOMAndCRLFImportAndLinesArePhysical() throws {
        let school = try Self.addSchool(urn: 700005)
        let connection = try Self.connectAsAdmin()
        let first = Pupil(2)
        let second = Pupil(3)
        let third = Pupil(4)
        let dmy = String(
            format: "%02d/%02d/%04d",
            second.dateOfBirth.day,
            second.dateOfBirth.month,
            second.dateOfBirth.year
        )
        // A BOM, CRLF line ends, a quoted name with a comma and doubled quotes, one spanning two lines, a blank
        // line, lower-case header names and a UK date.
        var rows = [
            "\u{FEFF}UPN,Given_Name,family_name,date_of_birth,year_group,sen_status,primary_need,secondary_need",
            "\(first.upn),\"Mary, Ann\",\"O\"\"Brien\",\(first.dateOfBirth),\(first.yearGroup),N,,",
            "\(second.upn),\"Jo\r\nJo\",Smith,\(dmy),\(second.yearGroup),K,SLCN,",
            "",
        ]
        let badThird = "\(third.upn),Sam,Lee,31/02/2014,\(third.yearGroup),N,,"
        // Lines: header 1, Mary 2, Jo 3-4, blank 5, the bad row 6.
        let failure = try Self.failingImport(
            (rows + [badThird]).joined(separator: "\r\n") + "\r\n",
            school: school,
            connection: connection
        )
        #expect(failure.problems.map(\.line) == [6])
        #expect(failure.problems.map(\.field) == ["date_of_birth"])

        rows.append("\(third.upn),Sam,Lee,\(third.dateOfBirth),\(third.yearGroup),N,,")
        let summary = try Self.importCSV(
            rows.joined(separator: "\r\n"),
            school: school,
            connection: connection,
            chunk: 7
        )
        #expect(summary.added == 3)
        let mary = try Self.stored(upn: first.upn, school: school, connection: connection)
        #expect(mary["given_name"] == "Mary, Ann")
        #expect(mary["family_name"] == "O\"Brien")
        let jo = try Self.stored(upn: second.upn, school: school, connection: connection)
        #expect(jo["given_name"] == "Jo\r\nJo")
        #expect(jo["date_of_birth"] == second.dateOfBirth.description)
        #expect(jo["needs"] == "SLCN:primary")
        #expect(try Self.stored(upn: third.upn, school: school, connection: connection)["family_name"] == "Lee")
    }

    @Test(
        arguments: [
            ("", "file", 1),
            ("upn,given\n", "header", 1),
            (header + "\n\(upn(1)),\"Ann,Smith,2015-01-01,5,N,,,no,no,no,no\n\(upn(2)),Bo\n", "file", 2),
        ]
    )
    func aFileThatCannotBeReadAsPupilsIsOneProblem(text: String, field: String, line: Int) throws {
        let school = try Self.addSchool(urn: 700011 + line * 10 + field.count)
        let connection = try Self.connectAsAdmin()
        let failure = try Self.failingImport(text, school: school, connection: connection)
        #expect(failure.problems.map(\.field) == [field])
        #expect(failure.problems.map(\.line) == [line])
        #expect(try Self.pupilCount(school: school, connection: connection) == 0)
    }

    @Test func aHeaderAloneImportsNothingAndAYearGroupMismatchIsAWarning() throws {
        let school = try Self.addSchool(urn: 700030)
        let connection = try Self.connectAsAdmin()
        let empty = try Self.importCSV(Self.header + "\n", school: school, connection: connection)
        #expect(empty.rows == 0)
        #expect(empty.warnings.isEmpty)

        var pupils = [Pupil(1), Pupil(2)]
        pupils[1].yearGroup = pupils[1].yearGroup == "5" ? "6" : "5"
        let summary = try Self.importCSV(Self.csv(pupils), school: school, connection: connection)
        #expect(summary.added == 2)
        #expect(summary.warnings.map(\.line) == [3])
        #expect(summary.warnings.map(\.field) == ["year_group"])
    }

    @Test func reimportUpdatesOnlyChangedPupilsAndAuditsOnlyThem() throws {
        let school = try Self.addSchool(urn: 700006)
        let connection = try Self.connectAsAdmin()
        var pupils = (1...1000).map { Pupil($0) }
        _ = try Self.importCSV(Self.csv(pupils), school: school, connection: connection)

        let eventsAfterFirst = try Self.auditEvents(school: school)
        let same = try Self.importCSV(Self.csv(pupils), school: school, connection: connection)
        #expect(same.added == 0)
        #expect(same.updated == 0)
        #expect(same.unchanged == 1000)
        #expect(try Self.auditEvents(school: school) == eventsAfterFirst)

        for index in stride(from: 0, to: 1000, by: 100) { pupils[index].familyName += "-Jones" }
        let changed = try Self.importCSV(Self.csv(pupils), school: school, connection: connection)
        #expect(changed.added == 0)
        #expect(changed.updated == 10)
        #expect(changed.unchanged == 990)
        // One UPDATE event per renamed pupil, nothing for the rest.
        #expect(try Self.auditEvents(school: school) == eventsAfterFirst + 10)
        #expect(
            try Self.stored(upn: pupils[100].upn, school: school, connection: connection)["family_name"]
                == "Family101-Jones"
        )
        #expect(
            try Self.stored(upn: pupils[101].upn, school: school, connection: connection)["family_name"] == "Family102"
        )
    }

    @Test func statusNRemovesNeedsAndANeedChangeReplacesOnlyNeeds() throws {
        let school = try Self.addSchool(urn: 700007)
        let connection = try Self.connectAsAdmin()
        var pupils = [Pupil(20), Pupil(21), Pupil(22)]  // E with two needs, K with one, N
        #expect(pupils.map(\.senStatus) == ["E", "K", "N"])
        _ = try Self.importCSV(Self.csv(pupils), school: school, connection: connection)
        // A file without the flag columns keeps the stored flags.
        let withoutFlags = { (pupils: [Pupil]) in
            Self.csv(pupils).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.prefix(8).joined(separator: ",") }.joined(separator: "\n")
        }
        let events = try Self.auditEvents(school: school)

        pupils[0].senStatus = "N"
        pupils[0].primaryNeed = ""
        pupils[0].secondaryNeed = ""
        pupils[1].primaryNeed = "SEMH"
        let summary = try Self.importCSV(withoutFlags(pupils), school: school, connection: connection)
        #expect(summary.updated == 2)
        #expect(summary.unchanged == 1)

        let first = try Self.stored(upn: pupils[0].upn, school: school, connection: connection)
        #expect(first["sen_status"] == "N")
        #expect(first["sen_status_since"] == "")
        #expect(first["needs"] == "")
        let second = try Self.stored(upn: pupils[1].upn, school: school, connection: connection)
        #expect(second["needs"] == "SEMH:primary")
        #expect(second["eal"] == "true")  // number 21: EAL, kept although the file has no eal column
        // Pupil 20: one UPDATE and two need DELETEs; pupil 21: one need DELETE and one INSERT, no pupil UPDATE.
        #expect(try Self.auditEvents(school: school) == events + 5)
    }

    @Test func aSENCOCannotImportIntoAnotherSchool() throws {
        let database = try Self.fixture.get()
        let own = try Self.addSchool(urn: 700008)
        let other = try Self.addSchool(urn: 700009)
        let owner = try database.connect(as: database.owner)
        try owner.query(
            "SELECT inclusion.staff_add($1, 'SENCO', 'senco', ARRAY[$2::integer], NULL, NULL)",
            [database.login("senco1"), own]
        )
        owner.close()
        let senco = try database.connect(as: database.login("senco1"))
        let text = Self.csv((1...10).map { Pupil($0) })

        let notFound = #expect(throws: StoreError.self) { try SchoolStore(connection: senco).id(urn: 700009) }
        #expect(notFound?.kind == .notFound)
        // Even given the other school's id directly, row-level security refuses the writes.
        let refused = #expect(throws: StoreError.self) {
            try Self.importCSV(text, school: other, connection: senco)
        }
        #expect(refused?.kind == .permissionDenied)
        let admin = try Self.connectAsAdmin()
        #expect(try Self.pupilCount(school: other, connection: admin) == 0)

        #expect(try Self.importCSV(text, school: own, connection: senco).added == 10)
    }

    @Test func aQuarterOfAMillionRowsImport() async throws {
        // Off the cooperative pool: the import blocks its thread for most of a minute.
        let (added, stored) = try await offThePool { () throws -> (Int, Int) in
            let school = try Self.addSchool(urn: 700010)
            let connection = try Self.connectAsAdmin()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pupilimport-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("pupils.csv")
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw TestDatabaseError("cannot create \(file.path)")
            }
            let writer = try FileHandle(forWritingTo: file)
            var block = Self.header + "\n"
            for number in 1...250_000 {
                block += Pupil(number).line + "\n"
                if block.utf8.count > 1 << 20 {
                    writer.write(Data(block.utf8))
                    block = ""
                }
            }
            writer.write(Data(block.utf8))
            try writer.close()

            let reader = try FileHandle(forReadingFrom: file)
            defer { try? reader.close() }
            let clock = ContinuousClock()
            let start = clock.now
            let summary = try PupilImporter(connection: connection).importCSV(school: school, today: Self.today) {
                let data = try reader.read(upToCount: 64 * 1024)
                return data?.isEmpty == false ? data : nil
            }
            print("pupil import: 250,000 rows in \(clock.now - start)")
            return (summary.added, try Self.pupilCount(school: school, connection: connection))
        }
        #expect(added == 250_000)
        #expect(stored == 250_000)
    }
}
