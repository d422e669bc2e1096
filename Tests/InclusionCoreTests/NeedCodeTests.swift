import InclusionCore
import Testing

@Suite("Need codes")
struct NeedCodeTests {
    @Test("any need may be recorded with SEN support", arguments: NeedCode.allCases)
    func everyNeedIsAllowedWithSENSupport(code: NeedCode) throws {
        try NeedCode.validate(code, status: .senSupport)
    }

    @Test("every need but NSA may be recorded with an EHC plan", arguments: NeedCode.allCases.filter { $0 != .nsa })
    func assessedNeedsAreAllowedWithEHCPlan(code: NeedCode) throws {
        try NeedCode.validate(code, status: .ehcPlan)
    }

    @Test("NSA with an EHC plan is rejected")
    func nsaWithEHCPlanIsRejected() {
        let error = #expect(throws: ValidationError.self) {
            try NeedCode.validate(.nsa, status: .ehcPlan, field: "primary")
        }
        #expect(error?.field == "primary")
        #expect(error?.message.hasPrefix("NSA (no specialist assessment) is only for SEN support (K)") == true)
    }

    @Test("no need may be recorded without SEN", arguments: NeedCode.allCases)
    func needWithoutSENIsRejected(code: NeedCode) {
        let error = #expect(throws: ValidationError.self) { try NeedCode.validate(code, status: .noSEN) }
        #expect(error?.field == "need")
        #expect(error?.message.contains("SEN status K (SEN support) or E (EHC plan)") == true)
    }

    @Test("need codes carry their census names")
    func needTitles() {
        #expect(NeedCode.semh.title == "Social, emotional and mental health")
        #expect(NeedCode.ds.title == "Down syndrome")
        #expect(NeedCode.asd.description == "ASD")
    }
}
