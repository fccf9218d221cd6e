import Support
import Testing
@testable import WWCtl

@Suite struct FormattingTests {
    @Test func groupsCountsByThousands() {
        #expect(grouped(0) == "0")
        #expect(grouped(999) == "999")
        #expect(grouped(1000) == "1,000")
        #expect(grouped(1234567) == "1,234,567")
        #expect(grouped(-1000) == "-1,000")
        #expect(grouped(Int.min) == "-9,223,372,036,854,775,808")
    }

    @Test func ratesAreWholeFromAHundredUp() {
        #expect(compactRate(0) == "0")
        #expect(compactRate(3) == "3")
        #expect(compactRate(12.54) == "12.5")
        #expect(compactRate(99.96) == "100")
        #expect(compactRate(100.4) == "100")
        #expect(compactRate(12_345.6) == "12,346")
    }

    @Test func percentagesKeepTwoDecimals() {
        #expect(formatPercent(0.93333) == "93.33 %")
        #expect(formatPercent(1) == "100 %")
        #expect(formatPercent(0) == "0 %")
        #expect(formatPercent(0.5) == "50 %")
        #expect(formatPercent(0.12345) == "12.35 %")
    }

    @Test func millisecondsGetFewerDecimalsAsTheyGrow() {
        #expect(formatMillis(0.2134) == "0.21 ms")
        #expect(formatMillis(9.999) == "10.0 ms")
        #expect(formatMillis(12.54) == "12.5 ms")
        #expect(formatMillis(999.9) == "999.9 ms")
        #expect(formatMillis(1000) == "1.0 s")
        #expect(formatMillis(11008.2) == "11.01 s")
    }

    @Test func secondsAreShownAsGiven() {
        #expect(formatSeconds(2) == "2")
        #expect(formatSeconds(2.5) == "2.5")
        #expect(formatSeconds(0.25) == "0.25")
    }

    @Test func durationsShowTheirTwoLargestUnits() {
        #expect(formatDuration(0) == "0s")
        #expect(formatDuration(59) == "59s")
        #expect(formatDuration(61) == "1m 1s")
        #expect(formatDuration(3725) == "1h 2m")
        #expect(formatDuration(90061) == "1d 1h")
    }

    @Test func ttlsReadAsRedisReportsThem() {
        #expect(ttlDisplay(ms: nil) == "-")
        #expect(ttlDisplay(ms: -1) == "no TTL")
        #expect(ttlDisplay(ms: -2) == "-")
        #expect(ttlDisplay(ms: 0) == "0s")
        #expect(ttlDisplay(ms: 59_500) == "59.5s")
        #expect(ttlDisplay(ms: 59_960) == "60s")
        #expect(ttlDisplay(ms: 60_000) == "1m")
        #expect(ttlDisplay(ms: 61_000) == "1m 1s")
        #expect(ttlDisplay(ms: 3_600_000) == "1h")
        #expect(ttlDisplay(ms: 90_061_000) == "1d 1h 1m")
    }

    @Test func fixedDecimalsArePadded() {
        #expect(fixedDecimal(1.5, digits: 3) == "1.500")
        #expect(fixedDecimal(0.0004, digits: 3) == "0.000")
        #expect(fixedDecimal(0.0456, digits: 3) == "0.046")
        #expect(fixedDecimal(12, digits: 1) == "12.0")
    }

    @Test func jsonValuesInCells() {
        #expect(jsonText(nil) == "-")
        #expect(jsonText(.null) == "-")
        #expect(jsonText(.string("a \"b\"")) == "a \"b\"")
        #expect(jsonText(.number("12.50")) == "12.50")
        #expect(jsonText(.array([.bool(true)])) == "[true]")
    }
}
