/// Checks free text (names, summaries, notes, views) before it is stored.
///
/// Text is stored exactly as given: no trimming, no Unicode normalisation, no escaping. Quotes, backslashes,
/// right-to-left marks, emoji and long notes must read back byte for byte, and a pupil's own words in their views
/// are theirs. Only what PostgreSQL cannot store (NUL) or what is clearly a mistake (too long, empty) is refused.
public enum TextField {
    /// Returns `text` unchanged if it is acceptable.
    ///
    /// - Parameters:
    ///   - maxLength: the most Unicode scalars allowed (scalars rather than characters, so the limit is the same
    ///     in every language PostgreSQL and Swift agree on).
    ///   - allowEmpty: whether empty or whitespace-only text is acceptable.
    /// - Throws: a ``ValidationError`` for `field` when the text contains a NUL character, is longer than
    ///   `maxLength`, or is empty or only whitespace when that is not allowed.
    public static func validate(
        _ text: String,
        field: String,
        maxLength: Int,
        allowEmpty: Bool = false
    ) throws(ValidationError) -> String {
        if text.unicodeScalars.contains("\u{0}") {
            throw ValidationError(
                field: field,
                message: "contains a NUL byte (character 0), which is not allowed in text; remove it and try again"
            )
        }
        let length = text.unicodeScalars.count
        if length > maxLength {
            throw ValidationError(
                field: field,
                message: "is too long (\(length) characters; at most \(maxLength) are allowed); shorten it"
            )
        }
        if !allowEmpty && text.allSatisfy(\.isWhitespace) {
            throw ValidationError(field: field, message: "is empty; give some text")
        }
        return text
    }
}
