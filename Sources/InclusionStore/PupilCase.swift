import InclusionCore

/// A concern or referral about a pupil, as `case list` and `case show` print it (DESIGN §8's case shape).
public struct PupilCase: Codable, Sendable, Equatable {
    public let id: Int64
    public let upn: String
    public let schoolURN: Int
    public let category: CaseCategory
    public let summary: String
    public let state: CaseState
    public let openedOn: Day
    public let closedOn: Day?
    public let outcome: String?
    /// The latest day a note was made on, kept by the database so stale cases are found without scanning notes.
    public let lastNoteOn: Day?
    /// The chronology, oldest first; only `case show` fills it in. Notes marked confidential are absent for
    /// staff logins (row-level security hides them).
    public let notes: [CaseNote]?

    enum CodingKeys: String, CodingKey {
        case id, upn, category, summary, state, outcome, notes
        case schoolURN = "school_urn"
        case openedOn = "opened_on"
        case closedOn = "closed_on"
        case lastNoteOn = "last_note_on"
    }
}

/// One entry in a case's chronology. Notes are never changed or removed: a correction is a new note.
public struct CaseNote: Codable, Sendable, Equatable {
    public let id: Int64
    public let kind: NoteKind
    public let on: Day
    public let text: String
    public let confidential: Bool
    /// The login that wrote the note.
    public let author: String

    enum CodingKeys: String, CodingKey {
        case id, kind, on, text, confidential, author
    }
}
