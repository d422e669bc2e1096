public import InclusionCore
public import Postgres

/// `pupil import`: loads a school's pupils from a CSV export of its MIS, all or nothing.
///
/// The file is streamed: each chunk goes through ``CSVRecordReader``, each record through
/// ``PupilImportRow/parse(_:header:today:)``, and each valid row straight into a temporary staging table by `COPY`
/// (PostgreSQL refuses `COPY FROM` into tables with row-level security). Bad rows are collected rather than
/// stopping the read, so one run lists every problem. Only when the whole file is good do set-based statements
/// classify the staged rows against the school's pupils and write the new and changed ones, under the caller's
/// own row-level security policies, in the same transaction. Memory stays bounded by one chunk plus the listed
/// problems and warnings, whatever the file's size.
public struct PupilImporter {
    /// The most problems (and, separately, warnings) listed; the rest are counted.
    public static let maxListed = 1000

    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What an import did.
    public struct Summary: Sendable, Equatable {
        /// Pupils new to the school.
        public var added: Int
        /// Known pupils whose details, flags or needs changed.
        public var updated: Int
        /// Known pupils identical to the file's row: not written, so no audit event.
        public var unchanged: Int
        /// Rows whose year group does not match the date of birth (accepted), in line order, at most
        /// ``PupilImporter/maxListed``.
        public var warnings: [ValidationError]
        /// Warnings beyond those listed.
        public var unlistedWarnings: Int

        /// The file's data rows.
        public var rows: Int { added + updated + unchanged }
    }

    /// The file has bad rows; nothing was written.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// How many lines of the file are bad (a line with several problems counts once).
        public var invalidRows: Int
        /// The problems, each with its line and column name, in line order; at most ``PupilImporter/maxListed``.
        public var problems: [ValidationError]
        /// Problems beyond those listed.
        public var unlistedProblems: Int

        public var description: String {
            "\(invalidRows) row\(invalidRows == 1 ? " is" : "s are") invalid; nothing was imported"
        }
    }

    /// Imports one CSV file into a school.
    ///
    /// - Parameters:
    ///   - school: the school's id (resolved by URN beforehand, so an invisible school fails before any work).
    ///   - today: the import's date: it bounds dates of birth, picks the academic year recorded with the year
    ///     group, and is the `sen_status_since` of pupils whose status becomes K or E.
    ///   - nextChunk: returns the file's next bytes, or nil at its end.
    /// - Throws: ``Failure`` when any row is bad (the transaction is rolled back), a ``StoreError`` when the
    ///   database refuses (row-level security: permission denied), and whatever `nextChunk` throws.
    public func importCSV<Chunk: Collection<UInt8>>(
        school: Int,
        today: Day,
        nextChunk: () throws -> Chunk?
    ) throws -> Summary {
        // Not retried: a retry could not read the file again.
        do {
            return try connection.transaction(.readCommitted, maxAttempts: 1) { connection in
                // One import per school at a time, so concurrent imports of one file cannot both add a pupil.
                // On a row no login may lock (an advisory lock could be taken by anyone who can connect).
                try connection.query("SELECT inclusion.lock_school($1, 'import')", [school])
                try connection.query(Self.createStaging)
                var staging = Staging(today: today)
                try connection.copyIn(Self.copyStaging) { writer in
                    while let chunk = try nextChunk() {
                        for record in staging.reader.feed(chunk) {
                            try staging.take(record, into: writer)
                        }
                    }
                    let last: [CSVRecord]
                    do throws(ValidationError) {
                        last = try staging.reader.finish()
                    } catch {
                        // An unclosed quote swallowed the rest of the file: one problem, at the quote's line.
                        last = []
                        try staging.reject([error], upn: nil, into: writer)
                    }
                    for record in last {
                        try staging.take(record, into: writer)
                    }
                    try staging.requireHeader()
                }
                try Self.failOnProblems(staging, connection: connection)
                return try Self.merge(school: school, today: today, staging: staging, connection: connection)
            }
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }

    // MARK: Reading and staging

    /// The rows read so far: the reader's state, the header, and what was wrong or worth a warning.
    struct Staging {
        let today: Day
        let firstDayOfYear: Day
        var reader = CSVRecordReader()
        var header: PupilImportHeader?
        var invalidRows = 0
        var problemCount = 0
        var problems: [ValidationError] = []
        var warningCount = 0
        var warnings: [ValidationError] = []

        init(today: Day) {
            self.today = today
            self.firstDayOfYear = AcademicYear(containing: today).firstDay
        }

        /// Validates one record and stages it: a valid row whole, a bad one by its UPN alone (when readable), so
        /// that a UPN repeated on a bad line is still reported as a duplicate.
        mutating func take(_ record: CSVRecord, into writer: CopyWriter) throws {
            guard let header else {
                do {
                    header = try PupilImportRow.header(record.fields, line: record.line)
                } catch {
                    // A bad header makes every row unreadable: stop at once.
                    throw Failure(invalidRows: 1, problems: [error], unlistedProblems: 0)
                }
                return
            }
            switch PupilImportRow.parse(record, header: header, today: today) {
            case .failure(let errors):
                let upn = header.index(of: .upn).flatMap { index in
                    index < record.fields.count ? try? UPN(record.fields[index]) : nil
                }
                try reject(errors.errors, upn: upn, into: writer)
            case .success(let row) where row.dateOfBirth >= firstDayOfYear:
                // The database's pupil_born_before_recorded rule, reported with its line instead of failing the
                // whole statement.
                let error = ValidationError(
                    field: PupilImportColumn.dateOfBirth.rawValue,
                    message: "is on or after 1 September of this academic year, too young for a pupil; check the "
                        + "date of birth",
                    line: row.line
                )
                try reject([error], upn: row.upn, into: writer)
            case .success(let row):
                if let warning = row.warning {
                    warningCount += 1
                    if warnings.count < PupilImporter.maxListed {
                        warnings.append(
                            ValidationError(
                                field: PupilImportColumn.yearGroup.rawValue,
                                message: warning,
                                line: row.line
                            )
                        )
                    }
                }
                try writer.appendRow(fields(of: row, header: header))
            }
        }

        /// Records a bad line; stages its UPN (if any) for the duplicate check, which a bad line's UPN is still
        /// part of.
        mutating func reject(_ errors: [ValidationError], upn: UPN?, into writer: CopyWriter) throws {
            invalidRows += 1
            problemCount += errors.count
            problems.append(contentsOf: errors.prefix(PupilImporter.maxListed - problems.count))
            if let upn, let line = errors.first?.line {
                try writer.appendRow([String(line), "f", upn.text] + Array(repeating: nil, count: 11))
            }
        }

        /// A file with no header line at all is a problem too.
        func requireHeader() throws {
            guard header == nil, problems.isEmpty else { return }
            throw Failure(
                invalidRows: 1,
                problems: [
                    ValidationError(
                        field: "file",
                        message: "is empty; the first line must be a header naming the columns ("
                            + PupilImportColumn.required.map(\.rawValue).joined(separator: ",")
                            + ", optionally " + PupilImportColumn.optional.map(\.rawValue).joined(separator: ",")
                            + "), then one line per pupil",
                        line: 1
                    )
                ],
                unlistedProblems: 0
            )
        }

        /// The staging columns of a valid row (``PupilImporter/stagingColumns``). A flag column the file leaves out
        /// is NULL: it keeps a known pupil's stored flag rather than clearing it.
        func fields(of row: PupilImportRow, header: PupilImportHeader) -> [String?] {
            func flag(_ column: PupilImportColumn, _ value: Bool) -> String? {
                header.index(of: column) == nil ? nil : (value ? "t" : "f")
            }
            return [
                String(row.line), "t", row.upn.text, row.givenName, row.familyName, row.dateOfBirth.description,
                row.yearGroup.rawValue, row.senStatus.rawValue, row.primaryNeed?.rawValue,
                row.secondaryNeed?.rawValue, flag(.eal, row.eal), flag(.pupilPremium, row.pupilPremium),
                flag(.lookedAfter, row.lookedAfter), flag(.youngCarer, row.youngCarer),
            ]
        }
    }

    /// The staging table: one row per line read (`valid` false for a bad line, staged by UPN only), and the
    /// classification the merge fills in. Dropped at commit or rollback.
    static let createStaging: SQL = """
        CREATE TEMP TABLE pupil_import (
            line            integer NOT NULL,
            valid           boolean NOT NULL,
            upn             text NOT NULL,
            given_name      text,
            family_name     text,
            date_of_birth   date,
            year_group      text,
            sen_status      char(1),
            primary_need    text,
            secondary_need  text,
            eal             boolean,
            pupil_premium   boolean,
            looked_after    boolean,
            young_carer     boolean,
            pupil_id        bigint,
            pupil_changed   boolean NOT NULL DEFAULT false,
            needs_changed   boolean NOT NULL DEFAULT false
        ) ON COMMIT DROP
        """

    static let copyStaging: SQL = """
        COPY pg_temp.pupil_import (line, valid, upn, given_name, family_name, date_of_birth, year_group, sen_status,
            primary_need, secondary_need, eal, pupil_premium, looked_after, young_carer) FROM STDIN
        """

    /// Adds repeated UPNs to the problems found while reading and throws ``Failure`` if there are any.
    static func failOnProblems(_ staging: Staging, connection: Connection) throws {
        // Every repeat of a UPN is reported on its own line, naming the line of the UPN's first appearance.
        let repeats = try connection.query(
            """
            SELECT line, first_line, count(*) OVER () AS repeats,
                   count(*) FILTER (WHERE valid) OVER () AS valid_repeats
            FROM (SELECT line, valid, min(line) OVER (PARTITION BY upn) AS first_line FROM pg_temp.pupil_import) d
            WHERE line > first_line
            ORDER BY line
            LIMIT $1
            """,
            [maxListed]
        )
        var repeatCount = 0
        var invalidRows = staging.invalidRows
        var problems = staging.problems
        for row in repeats {
            let firstLine = try row.decode(Int.self, "first_line")
            repeatCount = try row.decode(Int.self, "repeats")
            // A bad line was counted already; a repeat on a good line makes one more bad line.
            invalidRows = staging.invalidRows + (try row.decode(Int.self, "valid_repeats"))
            problems.append(
                ValidationError(
                    field: PupilImportColumn.upn.rawValue,
                    message: "is also on line \(firstLine); each pupil may appear only once in the file",
                    line: try row.decode(Int.self, "line")
                )
            )
        }
        guard invalidRows > 0 else { return }
        // Both lists are in line order; merged stably, a line's own problems stay before its repeat.
        let listed = problems.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .prefix(maxListed).map(\.element)
        throw Failure(
            invalidRows: invalidRows,
            problems: listed,
            unlistedProblems: staging.problemCount + repeatCount - listed.count
        )
    }

    // MARK: Merging

    /// Classifies the staged rows against the school's pupils and writes what differs, in set-based statements.
    static func merge(school: Int, today: Day, staging: Staging, connection: Connection) throws -> Summary {
        let academicYear = AcademicYear(containing: today).startYear
        // The plans below must stay sound when the school's pupils were just loaded and inclusion.pupil's
        // statistics (which this login cannot refresh) still count none of them: the planner may then put the
        // pupils on the outer side of a nested loop. Indexed, analysed staging keeps every such plan a probe.
        try connection.query("CREATE INDEX ON pg_temp.pupil_import (upn)")
        try connection.query("ANALYZE pg_temp.pupil_import")
        // Known pupils: is their record or their set of needs different from the file's? A flag the file leaves
        // out (NULL) keeps the stored value. The year group counts as changed when it was recorded for another
        // academic year, since the same year group a year later is a different fact. The needs are read per
        // pupil through the (school_id, pupil_id, code) index, which no misestimate can turn into a rescan.
        try connection.query(
            """
            UPDATE pg_temp.pupil_import i SET
                pupil_id = p.id,
                pupil_changed = (p.given_name, p.family_name, p.date_of_birth, p.year_group, p.academic_year,
                        p.sen_status, p.eal, p.pupil_premium, p.looked_after, p.young_carer)
                    IS DISTINCT FROM (i.given_name, i.family_name, i.date_of_birth, i.year_group, $2::integer,
                        i.sen_status, coalesce(i.eal, p.eal), coalesce(i.pupil_premium, p.pupil_premium),
                        coalesce(i.looked_after, p.looked_after), coalesce(i.young_carer, p.young_carer)),
                needs_changed = (n.primary_need, n.secondary_needs)
                    IS DISTINCT FROM (i.primary_need,
                        CASE WHEN i.secondary_need IS NULL THEN '{}'::text[] ELSE ARRAY[i.secondary_need] END)
            FROM inclusion.pupil p
            CROSS JOIN LATERAL (
                SELECT min(code) FILTER (WHERE rank = 'primary') AS primary_need,
                       coalesce(array_agg(code ORDER BY code) FILTER (WHERE rank = 'secondary'), '{}')
                           AS secondary_needs
                FROM inclusion.pupil_need WHERE school_id = p.school_id AND pupil_id = p.id
            ) n
            WHERE p.school_id = $1 AND p.upn = i.upn
            """,
            [school, academicYear]
        )
        // The classification is what the writes below filter on.
        try connection.query("CREATE INDEX ON pg_temp.pupil_import (pupil_id)")
        try connection.query("ANALYZE pg_temp.pupil_import")
        try connection.query(
            """
            UPDATE inclusion.pupil p SET
                given_name = i.given_name,
                family_name = i.family_name,
                date_of_birth = i.date_of_birth,
                year_group = i.year_group,
                academic_year = $2,
                sen_status = i.sen_status,
                sen_status_since = CASE WHEN i.sen_status = 'N' THEN NULL
                                        WHEN p.sen_status = 'N' THEN $3::date
                                        ELSE p.sen_status_since END,
                eal = coalesce(i.eal, p.eal),
                pupil_premium = coalesce(i.pupil_premium, p.pupil_premium),
                looked_after = coalesce(i.looked_after, p.looked_after),
                young_carer = coalesce(i.young_carer, p.young_carer)
            FROM pg_temp.pupil_import i
            WHERE i.pupil_changed AND p.id = i.pupil_id AND p.school_id = $1
            """,
            [school, academicYear, today]
        )
        try connection.query(
            """
            INSERT INTO inclusion.pupil (school_id, upn, given_name, family_name, date_of_birth, year_group,
                academic_year, sen_status, sen_status_since, eal, pupil_premium, looked_after, young_carer)
            SELECT $1, upn, given_name, family_name, date_of_birth, year_group, $2, sen_status,
                   CASE WHEN sen_status <> 'N' THEN $3::date END, coalesce(eal, false),
                   coalesce(pupil_premium, false), coalesce(looked_after, false), coalesce(young_carer, false)
            FROM pg_temp.pupil_import
            WHERE pupil_id IS NULL
            ORDER BY line
            """,
            [school, academicYear, today]
        )
        // Needs are replaced only where they differ; a pupil now N has none in the file, so theirs go.
        try connection.query(
            """
            DELETE FROM inclusion.pupil_need n USING pg_temp.pupil_import i
            WHERE i.needs_changed AND n.school_id = $1 AND n.pupil_id = i.pupil_id
            """,
            [school]
        )
        try connection.query(
            """
            INSERT INTO inclusion.pupil_need (school_id, pupil_id, code, rank)
            SELECT $1, p.id, v.code, v.rank
            FROM pg_temp.pupil_import i
            JOIN inclusion.pupil p ON p.school_id = $1 AND p.upn = i.upn
            CROSS JOIN LATERAL (VALUES (i.primary_need, 'primary'), (i.secondary_need, 'secondary')) v(code, rank)
            WHERE (i.pupil_id IS NULL OR i.needs_changed) AND v.code IS NOT NULL
            ORDER BY i.line, v.rank
            """,
            [school]
        )
        let counts = try connection.query(
            """
            SELECT count(*) FILTER (WHERE pupil_id IS NULL) AS added,
                   count(*) FILTER (WHERE pupil_id IS NOT NULL AND (pupil_changed OR needs_changed)) AS updated,
                   count(*) FILTER (WHERE pupil_id IS NOT NULL AND NOT pupil_changed AND NOT needs_changed)
                       AS unchanged
            FROM pg_temp.pupil_import
            """
        )[0]
        return Summary(
            added: try counts.decode(Int.self, "added"),
            updated: try counts.decode(Int.self, "updated"),
            unchanged: try counts.decode(Int.self, "unchanged"),
            warnings: staging.warnings,
            unlistedWarnings: staging.warningCount - staging.warnings.count
        )
    }
}
