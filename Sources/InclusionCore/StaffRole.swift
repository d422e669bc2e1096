/// A member of staff's role, which decides what PostgreSQL lets their login read and change.
public enum StaffRole: String, TextChoice, CustomStringConvertible {
    /// Runs the system for the whole trust; sees every school.
    case admin
    /// A SENCO: reads and changes SEN records of their schools.
    case senco
    /// A teacher or teaching assistant: reads records and adds notes and sessions.
    case staff
    /// A governor: aggregate reports only, no pupil rows.
    case readonly

    /// Words naming the choice in error messages.
    public static let choiceName = "a staff role"

    /// The command-line spelling.
    public var description: String { rawValue }
}
