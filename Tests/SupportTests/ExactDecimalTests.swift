import Testing
@testable import Support

@Suite struct ExactDecimalTests {
    @Test(arguments: ["0", "19.99", "-0.10", "9999999999.99", "0.01", "123456789012345678901234567890.12345678"])
    func roundTripsItsText(_ text: String) throws {
        #expect(try ExactDecimal(parsing: text).description == text)
    }

    @Test func addsExactly() throws {
        let sum = try ExactDecimal(parsing: "0.10") + ExactDecimal(parsing: "0.20")
        #expect(sum.description == "0.30")
        #expect(sum == ExactDecimal("0.3")!)
    }

    @Test(arguments: ["", "-", ".", "1e400", "1e2", "NaN", "inf", "Infinity", "1.2.3", "12a", " 1", "1,000", "0x10"])
    func rejectsWhatIsNotPlainDecimal(_ text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func rejectsMoreThan38Digits() {
        #expect(throws: ExactDecimal.ParseError.tooManyDigits) {
            try ExactDecimal(parsing: String(repeating: "9", count: 39))
        }
        #expect(ExactDecimal("0000000000000000000000000000000000000000001") != nil)
    }

    @Test func normalizesLeadingForms() {
        #expect(ExactDecimal(".5")!.description == "0.5")
        #expect(ExactDecimal("+7")!.description == "7")
        #expect(ExactDecimal("-0.005")!.description == "-0.005")
    }

    @Test func comparesNumerically() {
        #expect(ExactDecimal("1.0")! == ExactDecimal("1.00")!)
        #expect(ExactDecimal("1.0")!.hashValue == ExactDecimal("1.00")!.hashValue)
        #expect(ExactDecimal("-1")! < ExactDecimal("0.01")!)
        #expect(ExactDecimal("2.5")! > ExactDecimal("2.49")!)
    }

    @Test func rounds() {
        #expect(ExactDecimal("2.345")!.rounded(scale: 2).description == "2.35")
        #expect(ExactDecimal("-2.345")!.rounded(scale: 2).description == "-2.35")
        #expect(ExactDecimal("2.345")!.rounded(scale: 2, .halfEven).description == "2.34")
        #expect(ExactDecimal("2.355")!.rounded(scale: 2, .halfEven).description == "2.36")
        #expect(ExactDecimal("2.349")!.rounded(scale: 2, .down).description == "2.34")
        #expect(ExactDecimal("2")!.rounded(scale: 2).description == "2.00")
    }

    @Test func multipliesAndDivides() {
        let commission = (ExactDecimal("19.99")! * ExactDecimal("0.1250")!).rounded(scale: 2)
        #expect(commission.description == "2.50")
        #expect(ExactDecimal("10")!.divided(by: ExactDecimal("3")!, scale: 4).description == "3.3333")
        #expect(ExactDecimal("-10")!.divided(by: ExactDecimal("3")!, scale: 2).description == "-3.33")
        #expect(ExactDecimal("2")!.divided(by: ExactDecimal("3")!, scale: 2).description == "0.67")
    }

    @Test func describesDigits() {
        #expect(ExactDecimal("19.90")!.significantScale == 1)
        #expect(ExactDecimal("123.45")!.integerDigits == 3)
        #expect(ExactDecimal("0.45")!.integerDigits == 0)
    }

    @Test func codesAsJSONString() throws {
        struct Box: Codable { var amount: ExactDecimal }
        let value = Box(amount: ExactDecimal("0.30")!)
        #expect(value.amount.description == "0.30")
    }
}
