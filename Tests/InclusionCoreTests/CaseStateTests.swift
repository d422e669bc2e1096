import InclusionCore
import Testing

@Suite("Case states")
struct CaseStateTests {
    @Test("only the documented moves are allowed")
    func allowedMovesAreExactlyTheDocumentedOnes() {
        var allowed: Set<String> = []
        for from in CaseState.allCases {
            for to in CaseState.allCases where from.canMove(to: to) {
                allowed.insert("\(from)→\(to)")
            }
        }
        #expect(
            allowed == [
                "open→assessing", "open→monitoring", "assessing→monitoring", "monitoring→assessing", "open→closed",
                "assessing→closed",
                "monitoring→closed",
            ]
        )
    }

    @Test("a closed case is final", arguments: CaseState.allCases)
    func closedIsFinal(next: CaseState) {
        #expect(!CaseState.closed.canMove(to: next))
        let error = #expect(throws: ValidationError.self) { try CaseState.closed.move(to: next) }
        #expect(error?.message == "the case is closed and cannot change; open a new case instead")
    }

    @Test("a refused move says where the case can go")
    func refusedMoveListsAllowedStates() throws {
        #expect(try CaseState.open.move(to: .assessing) == .assessing)
        let error = #expect(throws: ValidationError.self) { try CaseState.monitoring.move(to: .open) }
        #expect(
            error?.description
                == "to: a case that is monitoring cannot move to open; it can move to: assessing, closed"
        )
        let same = #expect(throws: ValidationError.self) { try CaseState.assessing.move(to: .assessing) }
        #expect(same?.message == "the case is already assessing; nothing to change")
    }
}
