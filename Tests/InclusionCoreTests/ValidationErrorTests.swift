import InclusionCore
import Testing

@Suite("Validation errors")
struct ValidationErrorTests {
    @Test("the description names the field, then the message, then the line when there is one")
    func descriptionFormat() {
        let error = ValidationError(field: "upn", message: "the check letter does not match")
        #expect(error.description == "upn: the check letter does not match")
        #expect(error.at(line: 438).description == "upn: the check letter does not match (line 438)")
        #expect(error.about(field: "pupil").at(line: 2).line == 2)
        #expect(error.about(field: "pupil").field == "pupil")
    }

    @Test("a list of errors prints one per line")
    func listDescription() {
        let errors = ValidationErrors([
            ValidationError(field: "a", message: "x", line: 2), ValidationError(field: "b", message: "y", line: 2),
        ])
        #expect(errors.description == "a: x (line 2)\nb: y (line 2)")
    }
}
