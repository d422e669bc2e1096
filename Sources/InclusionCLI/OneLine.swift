import ArgumentParser
import InclusionCore
import InclusionStore

/// Free text squeezed onto one table line.
func oneLine(_ text: String, limit: Int = 60) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
}
