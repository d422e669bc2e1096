import InclusionTestSupport
import Postgres
import Testing

/// Text a user or an MIS export might send, stored and read back unchanged through a SENCO's own login, and
/// never able to change the schema.
@Suite("Hostile input")
struct HostileInputTests {
    static let database = Result { try TestDatabase.create(suite: "hostile") }

    /// A school, a SENCO and a pupil with an open case; and the shape of the schema before any hostile input.
    static let fixture = Result { () throws -> Fixture in
        let database = try HostileInputTests.database.get()
        let owner = try database.connect(as: database.owner)
        defer { owner.close() }
        let school: Int = try hostileValue(
            owner,
            "INSERT INTO inclusion.school (urn, name, la_number) VALUES (300001, 'Hostile Primary', 802) RETURNING id"
        )
        try owner.query(
            "SELECT inclusion.staff_add($1, 'SENCO', 'senco', ARRAY[$2::integer], NULL, NULL)",
            [database.login("senco_one"), school]
        )
        let senco = try database.connect(as: database.login("senco_one"))
        defer { senco.close() }
        let pupil: Int = try hostileValue(
            senco,
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year, sen_status) VALUES ($1, $2, 'Sam', 'Case', '2014-07-08', '6', 2025, 'K') RETURNING id
            """,
            [school, hostileUPN("802300099999")]
        )
        let openCase: Int = try hostileValue(
            senco,
            """
            INSERT INTO inclusion.pupil_case (school_id, pupil_id, category, summary)
            VALUES ($1, $2, 'concern', 'Hostile input') RETURNING id
            """,
            [school, pupil]
        )
        return Fixture(
            database: database,
            school: school,
            openCase: openCase,
            schemaBefore: try schemaShape(owner)
        )
    }

    struct Fixture: Sendable {
        let database: TestDatabase
        let school: Int
        let openCase: Int
        let schemaBefore: [String]
    }

    /// A naughty string with a short name, so test output stays readable.
    struct Naughty: Sendable, CustomTestStringConvertible {
        let index: Int
        let name: String
        let text: String
        var testDescription: String { name }
    }

    static let naughtyStrings: [Naughty] = [
        ("apostrophe", "O'Brien-D'Arcy"),
        ("double quotes", "\"Bobby\" Tables"),
        ("statement terminator", "'; DROP TABLE inclusion.pupil; --"),
        ("closing paren injection", "Robert'); DROP TABLE inclusion.case_note;--"),
        ("comment opener", "/* unterminated comment"),
        ("dollar quote", "$$; DROP SCHEMA inclusion CASCADE; $$"),
        ("placeholders", "$1 $2 ? %s %n %x {0}"),
        ("backslashes", "C:\\Users\\pupil\\\\share\\"),
        ("COPY null marker", "\\N"),
        ("COPY end marker", "\\."),
        ("tabs", "col1\tcol2\t"),
        ("CR LF", "line one\r\nline two\rline three\n"),
        ("combining marks", "Zoe\u{0308} Ame\u{0301}lie n\u{0303}"),
        ("zalgo", "Z\u{0351}\u{036B}\u{0343}\u{036A}a\u{0352}\u{0351}l\u{0367}\u{0346}g\u{0308}o\u{0489}"),
        ("right-to-left override", "\u{202E}gnp.exe\u{202C} Pupil"),
        ("zero-width joiners", "Ja\u{200D}ne\u{200C}\u{200B}\u{FEFF}Doe"),
        ("emoji", "👩‍👩‍👧‍👦 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ✊🏿"),
        ("CJK and Arabic", "山田 太郎 محمد"),
        ("control characters", "bell\u{07} escape\u{1B}[31m delete\u{7F}"),
        ("JSON", #"{"upn": "A123", "admin": true}"#),
        ("array literal", "{a,\"b\",NULL}"),
        ("the word NULL", "NULL"),
        ("whitespace only", "   "),
        ("HTML", "<script>alert('x')</script>"),
        ("a 10,000-character note", String(repeating: "Long note ", count: 999) + "0123456789"),
    ].enumerated().map { Naughty(index: $0.offset, name: $0.element.0, text: $0.element.1) }

    @Test(arguments: naughtyStrings)
    func aNoteBodyRoundTripsUnchanged(_ naughty: Naughty) throws {
        let fixture = try Self.fixture.get()
        let senco = try fixture.database.connect(as: fixture.database.login("senco_one"))
        let id: Int = try hostileValue(
            senco,
            "INSERT INTO inclusion.case_note (school_id, case_id, kind, body) VALUES ($1, $2, 'note', $3) RETURNING id",
            [fixture.school, fixture.openCase, naughty.text]
        )
        let stored: String = try hostileValue(senco, "SELECT body FROM inclusion.case_note WHERE id = $1", [id])
        #expect(Array(stored.utf8) == Array(naughty.text.utf8))
        // Found by equality on the server too: nothing was normalised on the way in.
        let matches: Int = try hostileValue(
            senco,
            "SELECT count(*) FROM inclusion.case_note WHERE id = $1 AND body = $2",
            [id, naughty.text]
        )
        #expect(matches == 1)
    }

    @Test(arguments: naughtyStrings.filter { $0.text.unicodeScalars.count <= 100 })
    func aFamilyNameRoundTripsUnchanged(_ naughty: Naughty) throws {
        let fixture = try Self.fixture.get()
        let senco = try fixture.database.connect(as: fixture.database.login("senco_one"))
        let upn = hostileUPN("8023001" + String(10_000 + naughty.index).suffix(5))
        let id: Int = try hostileValue(
            senco,
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year) VALUES ($1, $2, $3, $3, '2015-01-01', '5', 2025) RETURNING id
            """,
            [fixture.school, upn, naughty.text]
        )
        let row = try #require(
            try senco.query("SELECT given_name, family_name FROM inclusion.pupil WHERE id = $1", [id]).first
        )
        #expect(Array(try row.decode(String.self, 0).utf8) == Array(naughty.text.utf8))
        #expect(Array(try row.decode(String.self, 1).utf8) == Array(naughty.text.utf8))
    }

    @Test func everyNaughtyStringRoundTripsThroughCopyIntoATemporaryTable() throws {
        let fixture = try Self.fixture.get()
        let senco = try fixture.database.connect(as: fixture.database.login("senco_one"))
        try senco.query("CREATE TEMPORARY TABLE staged (line integer, body text, spare text)")
        let copied = try senco.copyIn("COPY staged (line, body, spare) FROM STDIN") { writer in
            for naughty in Self.naughtyStrings {
                try writer.appendRow([
                    String(naughty.index), naughty.text, naughty.index.isMultiple(of: 2) ? nil : naughty.text,
                ])
            }
        }
        #expect(copied == Self.naughtyStrings.count)
        let rows = try senco.query("SELECT line, body, spare FROM staged ORDER BY line")
        #expect(rows.count == Self.naughtyStrings.count)
        for (naughty, row) in zip(Self.naughtyStrings, rows) {
            #expect(try row.decode(Int.self, 0) == naughty.index)
            #expect(Array(try row.decode(String.self, 1).utf8) == Array(naughty.text.utf8), "\(naughty.name)")
            #expect(try row.decode(String?.self, 2) == (naughty.index.isMultiple(of: 2) ? nil : naughty.text))
        }
        // The import path: staged rows go on under the SENCO's own policies.
        let inserted = try senco.query(
            """
            INSERT INTO inclusion.case_note (school_id, case_id, kind, body)
            SELECT $1, $2, 'note', body FROM staged ORDER BY line
            """,
            [fixture.school, fixture.openCase]
        )
        #expect(inserted.affectedRows == Self.naughtyStrings.count)
    }

    @Test func aNULByteIsRefusedBeforeItReachesTheServer() throws {
        let fixture = try Self.fixture.get()
        let senco = try fixture.database.connect(as: fixture.database.login("senco_one"))
        let marker = "NUL-\u{0}-byte"
        let error = #expect(throws: PostgresError.self) {
            try senco.query(
                "INSERT INTO inclusion.case_note (school_id, case_id, kind, body) VALUES ($1, $2, 'note', $3)",
                [fixture.school, fixture.openCase, marker]
            )
        }
        #expect(error?.code == .invalidText)
        #expect(error?.sqlState == nil)
        try senco.query("CREATE TEMPORARY TABLE staged_nul (body text)")
        let copyError = #expect(throws: PostgresError.self) {
            try senco.copyIn("COPY staged_nul (body) FROM STDIN") { try $0.appendRow([marker]) }
        }
        #expect(copyError?.code == .invalidText)
        #expect(try hostileValue(senco, "SELECT count(*) FROM staged_nul") as Int == 0)
        #expect(
            try hostileValue(senco, "SELECT count(*) FROM inclusion.case_note WHERE body LIKE 'NUL-%'") as Int == 0
        )
    }

    @Test func hostileInputLeavesTheSchemaAsItWas() throws {
        let fixture = try Self.fixture.get()
        let senco = try fixture.database.connect(as: fixture.database.login("senco_one"))
        for naughty in Self.naughtyStrings {
            try senco.query(
                "INSERT INTO inclusion.case_note (school_id, case_id, kind, body) VALUES ($1, $2, 'note', $3)",
                [fixture.school, fixture.openCase, naughty.text]
            )
            _ = try senco.query("SELECT count(*) FROM inclusion.pupil WHERE family_name = $1", [naughty.text])
        }
        let owner = try fixture.database.connect(as: fixture.database.owner)
        #expect(fixture.schemaBefore.count > 100)
        #expect(try schemaShape(owner) == fixture.schemaBefore)
    }
}

/// Every column, policy and trigger of the inclusion schema, one line each, in a stable order.
private func schemaShape(_ connection: Connection) throws -> [String] {
    try connection.query(
        """
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
        FROM information_schema.columns WHERE table_schema = 'inclusion'
        UNION ALL
        SELECT 'policy ' || tablename || '.' || policyname || ' ' || cmd || ' ' || coalesce(qual, '')
        FROM pg_policies WHERE schemaname = 'inclusion'
        UNION ALL
        SELECT 'trigger ' || c.relname || '.' || t.tgname || ' ' || t.tgenabled::text
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = 'inclusion'::regnamespace AND NOT t.tgisinternal
        UNION ALL
        SELECT 'grant ' || table_name || ' ' || grantee || ' ' || privilege_type
        FROM information_schema.role_table_grants WHERE table_schema = 'inclusion'
        ORDER BY 1
        """
    ).map { try $0.decode(String.self, 0) }
}

/// A valid UPN: the DfE check letter (characters 2-13 weighted 2-13, mod 23) before the 12 given.
private func hostileUPN(_ body: String) -> String {
    let alphabet = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
    var sum = 0
    for (offset, character) in body.enumerated() {
        sum += (character.wholeNumberValue ?? alphabet.firstIndex(of: character) ?? 0) * (offset + 2)
    }
    return String(alphabet[sum % 23]) + body
}

private func hostileValue<T: PostgresDecodable>(
    _ connection: Connection,
    _ sql: SQL,
    _ parameters: [any PostgresBindable] = []
) throws -> T {
    try #require(try connection.query(sql, parameters).first).decode(T.self, 0)
}
