/// A type of special educational need, by its school census code.
public enum NeedCode: String, TextChoice, CustomStringConvertible {
    /// Specific learning difficulty.
    case spld = "SPLD"
    /// Moderate learning difficulty.
    case mld = "MLD"
    /// Severe learning difficulty.
    case sld = "SLD"
    /// Profound and multiple learning difficulty.
    case pmld = "PMLD"
    /// Social, emotional and mental health.
    case semh = "SEMH"
    /// Speech, language and communication needs.
    case slcn = "SLCN"
    /// Hearing impairment.
    case hi = "HI"
    /// Vision impairment.
    case vi = "VI"
    /// Multi-sensory impairment.
    case msi = "MSI"
    /// Physical disability.
    case pd = "PD"
    /// Autistic spectrum disorder.
    case asd = "ASD"
    /// Other difficulty or disability.
    case oth = "OTH"
    /// SEN support but no specialist assessment of the type of need (only with SEN status K).
    case nsa = "NSA"
    /// Down syndrome (a census code from 2025).
    case ds = "DS"

    /// Words naming the choice in error messages.
    public static let choiceName = "a census need code"

    /// The census code, e.g. `SEMH`.
    public var description: String { rawValue }

    /// The census name of the need, e.g. "Social, emotional and mental health".
    public var title: String {
        switch self {
        case .spld: "Specific learning difficulty"
        case .mld: "Moderate learning difficulty"
        case .sld: "Severe learning difficulty"
        case .pmld: "Profound and multiple learning difficulty"
        case .semh: "Social, emotional and mental health"
        case .slcn: "Speech, language and communication needs"
        case .hi: "Hearing impairment"
        case .vi: "Vision impairment"
        case .msi: "Multi-sensory impairment"
        case .pd: "Physical disability"
        case .asd: "Autistic spectrum disorder"
        case .oth: "Other difficulty or disability"
        case .nsa: "SEN support but no specialist assessment of type of need"
        case .ds: "Down syndrome"
        }
    }

    /// Checks that `code` may be recorded for a pupil with `status`: needs only with SEN support (K) or an EHC
    /// plan (E), and NSA only with SEN support.
    ///
    /// - Throws: a ``ValidationError`` for `field` saying which status the code needs.
    public static func validate(_ code: NeedCode, status: SENStatus, field: String = "need") throws(ValidationError) {
        switch (code, status) {
        case (_, .noSEN):
            throw ValidationError(
                field: field,
                message: "a need can only be recorded for a pupil with SEN status K (SEN support) or E (EHC plan); "
                    + "set the SEN status first, or leave the need empty"
            )
        case (.nsa, .ehcPlan):
            throw ValidationError(
                field: field,
                message: "NSA (no specialist assessment) is only for SEN support (K); a pupil with an EHC plan has "
                    + "an assessed need: record its code instead"
            )
        default:
            return
        }
    }
}
