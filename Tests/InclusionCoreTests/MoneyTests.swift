import Foundation
import InclusionCore
import Testing

@Suite("Money")
struct MoneyTests {
    @Test(
        "pounds parse to exact pence",
        arguments: [
            ("12.50", 1250), ("12", 1200), ("£12.50", 1250), ("12.5", 1250), ("0", 0), ("0.05", 5), (" £7.99 ", 799),
            ("1000000", 100_000_000),
        ]
    )
    func poundsParseToPence(text: String, pence: Int) throws {
        #expect(try Money.parse(text, field: "cost-per-session").pence == pence)
    }

    @Test("negative amounts are rejected", arguments: ["-1", "-12.50", "£-3"])
    func negativeIsRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try Money.parse(text, field: "cost-per-session") }
        #expect(error?.message.hasPrefix("cannot be negative") == true)
    }

    @Test("more than two decimal places are rejected")
    func tooManyDecimalsAreRejected() {
        let error = #expect(throws: ValidationError.self) { try Money.parse("12.505", field: "cost-per-session") }
        #expect(error?.message.hasPrefix("has more than two decimal places") == true)
    }

    @Test(
        "text that is not an amount is rejected",
        arguments: ["", "£", "12.", ".50", "12,50", "1,200", "twelve", "12.5p", "$12", "1e3", "12..5", "9999999999999"]
    )
    func nonAmountsAreRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try Money.parse(text, field: "cost-per-session") }
        #expect(error?.message.hasPrefix("is not an amount of money") == true)
    }

    @Test("amounts above £1,000,000 are refused naming the field", arguments: ["1000000.01", "999999999999"])
    func tooLargeAmountsAreRejected(text: String) {
        let error = #expect(throws: ValidationError.self) { try Money.parse(text, field: "cost-per-session") }
        #expect(error?.description == "cost-per-session: is more than £1000000.00, the most an amount may be; check it")
    }

    @Test("£1,000,000 itself is accepted")
    func theMaximumIsAccepted() throws {
        #expect(try Money.parse("1000000", field: "cost-per-session") == Money.maximum)
    }

    @Test("money prints as pounds and encodes as pence")
    func descriptionAndCoding() throws {
        #expect(Money(pence: 1250).description == "£12.50")
        #expect(Money(pence: 5).description == "£0.05")
        #expect(Money(pence: 100_000).description == "£1000.00")
        #expect(String(decoding: try JSONEncoder().encode([Money(pence: 799)]), as: UTF8.self) == "[799]")
    }
}
