import Testing
@testable import Postgres

@Suite struct TimestampTests {
    func iso(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer { Timestamp.parse($0) }.map(Timestamp.isoString(micros:))
    }

    @Test func millisecondsAreTruncatedLikeJavaScript() {
        #expect(iso("2026-01-02 03:04:05.678999+00") == "2026-01-02T03:04:05.678Z")
        #expect(iso("2026-01-02 03:04:05+00") == "2026-01-02T03:04:05.000Z")
        #expect(iso("2026-01-02 03:04:05.5+00") == "2026-01-02T03:04:05.500Z")
        // Before 1970 the fraction still counts forward from the second.
        #expect(iso("1969-12-31 23:59:59.9999+00") == "1969-12-31T23:59:59.999Z")
    }

    @Test func offsetsAreAppliedAndDatesAreMidnight() {
        #expect(iso("2026-01-02 03:04:05+05:30") == "2026-01-01T21:34:05.000Z")
        #expect(iso("2026-01-02 03:04:05-08") == "2026-01-02T11:04:05.000Z")
        #expect(iso("1900-01-01 00:00:00+00:19:32") == "1899-12-31T23:40:28.000Z")
        #expect(iso("2026-01-02") == "2026-01-02T00:00:00.000Z")
        #expect(iso("2024-02-29T12:00:00Z") == "2024-02-29T12:00:00.000Z")
    }

    @Test func extremeYearsUseTheExpandedForm() {
        #expect(iso("0001-01-01 00:00:00+00 BC") == "0000-01-01T00:00:00.000Z")
        #expect(iso("0002-01-01 00:00:00+00 BC") == "-000001-01-01T00:00:00.000Z")
        #expect(iso("10000-01-01 00:00:00+00") == "+010000-01-01T00:00:00.000Z")
        #expect(iso("0044-03-15 BC") == "-000043-03-15T00:00:00.000Z")
    }

    @Test func instantsBeyondInt64MicrosecondsAreNilNotATrap() {
        // PostgreSQL's last year (294276) no longer fits microseconds since 1970 in an Int64.
        let text = Array("294276-12-31 23:59:59.999999+00".utf8)
        #expect(text.withUnsafeBufferPointer { Timestamp.parse($0) } == nil)
        let instant = text.withUnsafeBufferPointer { Timestamp.parseInstant($0) }
        #expect(instant.map { Timestamp.isoString(seconds: $0.seconds, millisecond: $0.microseconds / 1000) }
            == "+294276-12-31T23:59:59.999Z")
        #expect(Array("999999999-01-01".utf8).withUnsafeBufferPointer { Timestamp.parse($0) } == nil)
    }

    @Test func leapSecondsRollIntoTheNextMinute() {
        #expect(iso("2016-12-31 23:59:60.5+00") == "2017-01-01T00:00:00.500Z")
    }

    @Test func unixMillisecondsAsJavaScriptPrintsThem() {
        #expect(Timestamp.isoString(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.isoString(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.isoString(milliseconds: 253_402_300_800_000) == "+010000-01-01T00:00:00.000Z")
        #expect(Timestamp.isoString(milliseconds: -62_198_755_200_000) == "-000001-01-01T00:00:00.000Z")
    }

    @Test func nonTimestampsAreRejected() {
        for text in ["infinity", "-infinity", "", "2026-13-01", "2026-01-02 03:04", "2026-01-02 03:04:05.+00", "yesterday"] {
            #expect(iso(text) == nil, "\(text)")
        }
    }

    @Test func postgresTextRoundTrips() {
        for micros: Int64 in [0, 1, -1, 1_767_323_045_678_999, -62_135_596_800_000_000 - 1, 253_402_300_799_999_999] {
            let text = Timestamp.postgresText(micros: micros)
            let parsed = Array(text.utf8).withUnsafeBufferPointer { Timestamp.parse($0) }
            #expect(parsed == micros, "\(text)")
        }
        #expect(Timestamp.postgresText(micros: 1_767_323_045_678_999) == "2026-01-02 03:04:05.678999+00")
    }
}
