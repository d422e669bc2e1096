public import Postgres

extension StoreError {
    /// Friendly words for the constraints users run into, by constraint name: (field, message).
    static let constraintMessages: [String: (String, String)] = [
        "pupil_upn_unique": ("upn", "a pupil with this UPN is already on roll at this school"),
        "pupil_upn_valid": ("upn", "not a valid UPN (13 characters with a matching check letter)"),
        "pupil_key_worker_fkey": ("key-worker", "no staff member has this login"),
        "pupil_born_before_recorded": ("dob", "the date of birth is after the start of the academic year"),
        "pupil_need_once": ("need", "this need is already recorded for the pupil"),
        "pupil_need_one_primary": ("primary", "the pupil already has a primary need"),
        "school_urn_key": ("urn", "a school with this URN already exists"),
        "school_urn_check": ("urn", "a URN is 6 digits (100000-999999)"),
        "school_la_number_check": ("la", "an LA number is 3 digits (100-999)"),
        "school_estab_number_check": ("estab", "an establishment number is 4 digits (1000-9999)"),
        "term_school_id_first_day_key": ("from", "this school already has a term starting that day"),
        "term_dates_in_order": ("to", "the term ends before it starts"),
        "term_at_most_a_year": ("to", "a term lasts at most 200 days"),
        "closure_dates_in_order": ("to", "the closure ends before it starts"),
        "closure_school_id_first_day_key": ("from", "this school already has a closure starting that day"),
        "staff_email_check": ("email", "not an email address"),
        "support_plan_one_active": ("kind", "the pupil already has an active plan of this kind: close it first"),
        "plan_ehcp_fields": ("kind", "issue dates and annual-review milestones apply to EHC plans only"),
        "plan_reviewed_after_start": ("last-reviewed", "the last review is before the plan starts"),
        "plan_due_after_start": ("starts", "the next review would fall before the plan starts"),
        "plan_closed_after_start": ("reason", "a plan cannot close before it starts"),
        "plan_closed_has_reason": ("reason", "a closed plan needs a reason"),
        "intervention_ends_after_start": ("ends", "the intervention ends before it starts"),
        "intervention_ended_after_start": ("on", "the intervention cannot end before it starts"),
        "intervention_pupil_once": ("upn", "the pupil is listed twice"),
        "session_once_a_day": ("on", "a session is already logged for this intervention on that day"),
        "session_absence_once": ("absent", "the pupil is listed as absent twice"),
        "session_absence_school_id_intervention_id_pupil_id_fkey":
            ("absent", "that pupil is not in this intervention's group"),
        "intervention_school_id_plan_id_fkey": ("plan", "no such plan at this intervention's school"),
        "case_closed_has_outcome": ("outcome", "a closed case needs an outcome"),
    ]

    /// Translates a PostgreSQL error into words for the user, keeping server text (which can echo values) out.
    public init(_ error: PostgresError) {
        self.init(translating: error)
        debugDetail = error.debugDescription
        sqlState = error.sqlState
    }

    private init(translating error: PostgresError) {
        if let constraint = error.constraint, let (field, message) = Self.constraintMessages[constraint] {
            self.init(.invalid, field: field, message)
            return
        }
        // Migration 0009's date-range checks are named sane_date__FIELD__COLUMN, FIELD being the CLI's.
        if let constraint = error.constraint, constraint.hasPrefix("sane_date__") {
            let parts = constraint.split(separator: "__", omittingEmptySubsequences: false)
            let field = parts.count > 1 ? String(parts[1]) : "date"
            self.init(
                .invalid,
                field: String(field.map { $0 == "_" ? "-" : $0 }),
                "the date is out of range: give a date between 1900-01-01 and 2199-12-31"
            )
            return
        }
        switch error.code {
        case .application:
            // Our own functions' errors: their text names ids and fields only.
            let field = error.column
            let message = error.serverMessage ?? "refused by the database"
            switch error.sqlState {
            case "IN403", "IN901": self.init(.permissionDenied, field: field, message)
            case "IN404": self.init(.notFound, field: field, message)
            default: self.init(.invalid, field: field, message)
            }
        case .connectionFailed, .connectionLost:
            // libpq's connection messages describe the connection (host, socket, role), never pupil data.
            self.init(.unavailable, "cannot reach PostgreSQL: \(error.serverMessage ?? "connection failed")")
        case .rowLevelSecurity:
            self.init(.permissionDenied, "that school is not one of yours (row-level security refused the change)")
        case .insufficientPrivilege:
            self.init(.permissionDenied, "your login is not allowed to do this")
        case .uniqueViolation:
            self.init(.invalid, field: error.column, "already exists (\(error.constraint ?? "unique key"))")
        case .checkViolation:
            self.init(.invalid, field: error.column, "breaks the rule \(error.constraint ?? "check")")
        case .foreignKeyViolation:
            self.init(.invalid, field: error.column, "refers to something that does not exist or is still in use")
        case .notNullViolation:
            self.init(.invalid, field: error.column, "is required")
        case .invalidText:
            // Values are checked (and their fields named) before they are sent; what reaches here is a value out
            // of a column's range, and PostgreSQL does not say which parameter it was.
            self.init(
                .invalid,
                field: error.column,
                "a value is out of range or in the wrong form for the database (SQLSTATE \(error.sqlState ?? "22000")); "
                    + "check the numbers and dates given"
            )
        case .queryCanceled:
            self.init(
                .unavailable,
                "the database stopped the command: it ran longer than statement_timeout allows, or an admin "
                    + "cancelled it; nothing it was doing was kept. Try again when the database is less busy"
            )
        case .decoding:
            // A column this build cannot read: our own text, naming the column and the Swift type, never the value.
            self.init(
                .other,
                field: error.column,
                "the database holds a value this build cannot read (\(error.serverMessage ?? "decoding failed"))"
            )
        case .undefinedObject:
            self.init(
                .configuration,
                "the database is missing an object this build expects; run `inclusionctl db migrate` (\(error))"
            )
        default:
            switch error.sqlState {
            case "55P03":
                self.init(
                    .unavailable,
                    "the database is busy: another session holds a lock this needs, and the wait ran past "
                        + "lock_timeout; nothing was changed. Try again, or ask an admin to look at pg_stat_activity"
                )
            case let state? where state.hasPrefix("53"):
                self.init(
                    .unavailable,
                    "the database server is short of resources (SQLSTATE \(state): disk, memory or connections); "
                        + "try again later, or ask an admin to look at its log"
                )
            case "42939":
                self.init(.invalid, "the database refused a name reserved for its own use (SQLSTATE 42939)")
            default:
                self.init(
                    .other,
                    "the database refused the request for a reason this program does not recognise (SQLSTATE "
                        + "\(error.sqlState ?? "none"))"
                )
            }
        }
    }
}
