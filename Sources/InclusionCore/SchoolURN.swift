/// A school's Unique Reference Number, as the DfE assigns it: six digits, 100000 to 999999.
public enum SchoolURN {
    /// The numbers a URN can be.
    public static let range = 100_000...999_999

    /// Returns `value` if it can be a URN.
    ///
    /// Checked before any query, so that a mistyped URN (a UPN pasted into `--school`, say) is named as the field it
    /// is rather than meeting PostgreSQL's integer range far from the flag it came from.
    ///
    /// - Throws: a ``ValidationError`` for `field` when `value` is outside ``range``.
    public static func validate(_ value: Int, field: String) throws(ValidationError) -> Int {
        guard range.contains(value) else {
            throw ValidationError(field: field, message: "a URN is 6 digits (100000 to 999999); check the number")
        }
        return value
    }
}
