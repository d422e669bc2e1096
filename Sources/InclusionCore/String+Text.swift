extension String {
    /// The text without leading and trailing whitespace and newlines; inner text is untouched.
    func trimmingWhitespace() -> String {
        // Fast path for the usual cell: starts and ends with a printable ASCII character, so nothing to trim.
        if let head = utf8.first, let tail = utf8.last, head > 0x20, head < 0x7F, tail > 0x20, tail < 0x7F {
            return self
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}

extension String {
    /// True when both texts are equal once ASCII letters are folded to lower case (raw values are ASCII; other
    /// characters must match exactly). Cheaper than `lowercased()`, which allocates.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.elementsEqual(other.utf8) { lhs, rhs in
            lhs == rhs
                || (lhs | 0x20 == rhs | 0x20 && (lhs | 0x20) >= UInt8(ascii: "a") && (lhs | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
