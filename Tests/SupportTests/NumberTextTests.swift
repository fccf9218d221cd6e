import Support
import Testing

@Suite struct NumberTextTests {
    @Test func shortDecimalsDropTrailingZeros() {
        #expect(shortDecimal(0.9333) == "0.93")
        #expect(shortDecimal(0.8) == "0.8")
        #expect(shortDecimal(12) == "12")
        #expect(shortDecimal(-3.456) == "-3.46")
        #expect(shortDecimal(.infinity) == "inf")
        #expect(shortDecimal(1e20) == "1e+20")
    }

    @Test func bytesInBinaryUnits() {
        #expect(humanBytes(0) == "0B")
        #expect(humanBytes(512) == "512B")
        #expect(humanBytes(1023) == "1023B")
        #expect(humanBytes(1024) == "1K")
        #expect(humanBytes(1536) == "1.5K")
        #expect(humanBytes(3 * 1024 * 1024) == "3M")
        #expect(humanBytes(3_400_000) == "3.2M")
        #expect(humanBytes(1024 * 1024 - 1) == "1024K")
        #expect(humanBytes(-1536) == "-1.5K")
        #expect(humanBytes(5 << 40) == "5T")
        #expect(humanBytes(Int.max) == "8388608T")
    }

    /// Health messages used a copy that wrote the number through `shortDecimal`: the one
    /// left must say the same for every size, so its number part reads unchanged through it.
    @Test func bytesReadAsTheHealthMessagesReadThem() {
        var random = SplitMix64(state: 15)
        for _ in 0..<20_000 {
            let bytes = Int(truncatingIfNeeded: random.next() >> (random.next() % 63))
            let text = humanBytes(bytes)
            guard let unit = text.last, unit != "B" else { continue }
            let number = String(text.dropLast())
            #expect(Double(number).map(shortDecimal) == number, "\(bytes) → \(text)")
        }
    }

    @Test func roundedDecimalsDropTrailingZeros() {
        #expect(roundedDecimal(0.999996, digits: 5) == "1")
        #expect(roundedDecimal(0.123456, digits: 4) == "0.1235")
        #expect(roundedDecimal(-0.05, digits: 1) == "-0.1")
        #expect(roundedDecimal(0.00001, digits: 5) == "0.00001")
        #expect(roundedDecimal(12, digits: 3) == "12")
    }

    @Test func comparableDecimalsKeepTheOrder() {
        #expect(comparableDecimals(0.93, 0.8) == ("0.93", "0.8"))
        #expect(comparableDecimals(0.999995, 0.99999) == ("1", "0.99999"))
        #expect(comparableDecimals(0.999986, 0.99999) == ("0.999986", "0.99999"))
        #expect(comparableDecimals(0.5, 0.5) == ("0.5", "0.5"))
        #expect(comparableDecimals(0.5, 0.123) == ("0.5", "0.123"))
    }
}
