import Support
import Testing

@Suite struct MillisecondsTests {
    @Test func durationsInMilliseconds() {
        #expect(Duration.seconds(2).inMilliseconds == 2000)
        #expect(Duration.milliseconds(1.5).inMilliseconds == 1.5)
        #expect(Duration.microseconds(250).inMilliseconds == 0.25)
        #expect(Duration.nanoseconds(1).inMilliseconds == 0.000001)
        #expect(Duration.zero.inMilliseconds == 0)
    }

    @Test func roundedToTheMicrosecond() {
        #expect(Duration.nanoseconds(12_345_678).roundedMilliseconds == 12.346)
        #expect(Duration.nanoseconds(400).roundedMilliseconds == 0)
        #expect(Duration.nanoseconds(500).roundedMilliseconds == 0.001)
        #expect(roundedToMicroseconds(0.0004999) == 0)
        #expect(roundedToMicroseconds(3.14159) == 3.142)
    }

}

@Suite struct TrimmingTests {
    @Test func trimsOnlyTheCharactersNamed() {
        #expect(" \t yes \r".trimming(anyOf: " \t\r") == "yes")
        #expect("\u{A0}yes".trimming(anyOf: " ") == "\u{A0}yes")
        #expect("  ".trimming(anyOf: " ") == "")
        #expect("a b".trimming(anyOf: " ") == "a b")
    }
}
