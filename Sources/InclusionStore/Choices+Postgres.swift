public import InclusionCore
public import Postgres

// The core's string-backed enums bind as their raw values and decode from them through the `Postgres` module's
// defaults for `RawRepresentable` types whose raw value is a `String`. A column's CHECK constraint allows exactly
// these spellings; any other text is a `PostgresError` with code `.decoding` naming the type. See `Day+Postgres` for
// why the conformances are declared here (and why without `@retroactive`).

extension AreaOfNeed: PostgresBindable, PostgresDecodable {}
extension CaseCategory: PostgresBindable, PostgresDecodable {}
extension CaseState: PostgresBindable, PostgresDecodable {}
extension NeedCode: PostgresBindable, PostgresDecodable {}
extension NeedRank: PostgresBindable, PostgresDecodable {}
extension NoteKind: PostgresBindable, PostgresDecodable {}
extension PlanKind: PostgresBindable, PostgresDecodable {}
extension PlanStatus: PostgresBindable, PostgresDecodable {}
extension ReviewOutcome: PostgresBindable, PostgresDecodable {}
extension SENStatus: PostgresBindable, PostgresDecodable {}
extension StaffRole: PostgresBindable, PostgresDecodable {}
extension YearGroup: PostgresBindable, PostgresDecodable {}
extension AlertRuleName: PostgresBindable, PostgresDecodable {}
extension AlertSeverity: PostgresBindable, PostgresDecodable {}
extension PhaseTransferDeadline.Deadline: PostgresBindable, PostgresDecodable {}
extension AlertReconciliation.ResolvedBecause: PostgresBindable {}

// The store's own string-backed enums.
extension LADecision: PostgresBindable, PostgresDecodable {}
extension AlertStore.Action: PostgresBindable {}
extension JobRunState: PostgresBindable, PostgresDecodable {}
