import InclusionCore

/// A pupil as `pupil show` / `pupil list` print it (DESIGN §8's pupil shape).
public struct Pupil: Codable, Sendable, Equatable {
    public struct Need: Codable, Sendable, Equatable {
        public let code: String
        public let rank: String
    }

    public let id: Int64
    public let upn: String
    public let givenName: String
    public let familyName: String
    public let dateOfBirth: Day
    public let yearGroup: String
    public let academicYear: Int
    public let schoolURN: Int
    public let senStatus: String
    public let needs: [Need]
    public let eal: Bool
    public let pupilPremium: Bool
    public let lookedAfter: Bool
    public let youngCarer: Bool
    public let attendanceConcern: Bool
    public let keyWorker: String?
    public let leftOn: Day?

    enum CodingKeys: String, CodingKey {
        case id, upn, needs, eal
        case givenName = "given_name"
        case familyName = "family_name"
        case dateOfBirth = "date_of_birth"
        case yearGroup = "year_group"
        case academicYear = "academic_year"
        case schoolURN = "school_urn"
        case senStatus = "sen_status"
        case pupilPremium = "pupil_premium"
        case lookedAfter = "looked_after"
        case youngCarer = "young_carer"
        case attendanceConcern = "attendance_concern"
        case keyWorker = "key_worker"
        case leftOn = "left_on"
    }
}

/// A pupil found by UPN: what other aggregates need to attach records to them.
public struct PupilRef: Sendable, Equatable {
    public let id: Int64
    public let schoolID: Int
    public let upn: String
    public let dateOfBirth: Day
    public let senStatus: SENStatus
}
