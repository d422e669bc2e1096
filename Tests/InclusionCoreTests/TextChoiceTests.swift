import Foundation
import InclusionCore
import Testing

@Suite("Choices written as text")
struct TextChoiceTests {
    @Test("each choice's command-line spellings are exactly as documented")
    func spellingsMatchTheCLIContract() {
        #expect(AreaOfNeed.allowedValuesText == "cognition-learning, communication-interaction, semh, sensory-physical")
        #expect(PlanKind.allowedValuesText == "sen-support, ehcp")
        #expect(PlanStatus.allowedValuesText == "draft, active, closed")
        #expect(ReviewOutcome.allowedValuesText == "continue, amend, cease, escalate")
        #expect(CaseCategory.allowedValuesText == "concern, referral, parent-request, agency")
        #expect(CaseState.allowedValuesText == "open, assessing, monitoring, closed")
        #expect(NoteKind.allowedValuesText == "note, meeting, parent-contact, agency-contact, observation")
        #expect(StaffRole.allowedValuesText == "admin, senco, staff, readonly")
        #expect(SENStatus.allowedValuesText == "N, K, E")
        #expect(NeedRank.allowedValuesText == "primary, secondary")
        #expect(NeedCode.allowedValuesText == "SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA, DS")
    }

    @Test("parsing ignores case and surrounding whitespace")
    func parsingIsForgiving() throws {
        #expect(try AreaOfNeed.parse(" Communication-Interaction ", field: "area") == .communicationInteraction)
        #expect(try PlanKind.parse("EHCP", field: "kind") == .ehcp)
        #expect(try PlanStatus.parse("draft", field: "status") == .draft)
        #expect(try ReviewOutcome.parse("Continue", field: "outcome") == .continue)
        #expect(try CaseCategory.parse("parent-request\n", field: "category") == .parentRequest)
        #expect(try NoteKind.parse("AGENCY-CONTACT", field: "kind") == .agencyContact)
        #expect(try StaffRole.parse("SENCO", field: "role") == .senco)
        #expect(try SENStatus.parse("k", field: "sen") == .senSupport)
        #expect(try NeedCode.parse(" semh ", field: "primary") == .semh)
        #expect(try NeedCode.parse("SpLD", field: "primary") == .spld)
    }

    @Test("every case round trips through its raw value")
    func everyCaseRoundTrips() throws {
        func roundTrip<Choice: TextChoice>(_ type: Choice.Type) throws {
            for choice in Choice.allCases {
                #expect(try Choice.parse(choice.rawValue, field: "f") == choice)
            }
        }
        try roundTrip(AreaOfNeed.self)
        try roundTrip(PlanKind.self)
        try roundTrip(PlanStatus.self)
        try roundTrip(ReviewOutcome.self)
        try roundTrip(CaseCategory.self)
        try roundTrip(CaseState.self)
        try roundTrip(NoteKind.self)
        try roundTrip(StaffRole.self)
        try roundTrip(SENStatus.self)
        try roundTrip(NeedCode.self)
        try roundTrip(NeedRank.self)
        try roundTrip(YearGroup.self)
    }

    @Test("an unknown value is rejected with the allowed values and without repeating it")
    func unknownValueListsAllowedValues() {
        let error = #expect(throws: ValidationError.self) { try AreaOfNeed.parse("maths-support", field: "area") }
        #expect(
            error?.description
                == "area: is not an area of need; use one of: cognition-learning, communication-interaction, semh, "
                + "sensory-physical"
        )
        let need = #expect(throws: ValidationError.self) { try NeedCode.parse("ADHD", field: "primary") }
        #expect(
            need?.description
                == "primary: is not a census need code; use one of: SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, "
                + "ASD, OTH, NSA, DS"
        )
    }

    @Test("an empty value says it is empty")
    func emptyValueIsRejected() {
        let error = #expect(throws: ValidationError.self) { try PlanKind.parse("  ", field: "kind") }
        #expect(error?.description == "kind: is empty; use one of: sen-support, ehcp")
    }

    @Test("SEN statuses describe themselves in words")
    func senStatusWords() {
        #expect(SENStatus.noSEN.description == "no special educational needs")
        #expect(SENStatus.senSupport.description == "SEN support")
        #expect(SENStatus.ehcPlan.description == "EHC plan")
        #expect(SENStatus.allCases.map(\.rawValue) == ["N", "K", "E"])
        #expect(SENStatus.allCases.map(\.hasSEN) == [false, true, true])
    }

    @Test("choices encode as their raw values")
    func codableUsesRawValues() throws {
        let data = try JSONEncoder().encode([CaseCategory.parentRequest])
        #expect(String(decoding: data, as: UTF8.self) == #"["parent-request"]"#)
        #expect(try JSONDecoder().decode([SENStatus].self, from: Data(#"["E"]"#.utf8)) == [.ehcPlan])
    }
}
