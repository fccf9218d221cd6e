import Testing
@testable import Support

@Suite struct JSONTests {
    struct Ping: Encodable {
        var zeta = 1
        var alpha = "a/b"
        var missing: Int? = nil
        var amount = ExactDecimal("19.90")!
        var list = [true, false]
        var ratio = 0.5
    }

    @Test func encodesInDeclarationOrderWithNulls() throws {
        let text = try JSONValueEncoder().encodeText(Ping())
        #expect(text == #"{"zeta":1,"alpha":"a/b","missing":null,"amount":"19.90","list":[true,false],"ratio":0.5}"#)
    }

    /// Every optional scalar field is present as null, not left out (the output contract).
    @Test func everyOptionalScalarEncodesAsNull() throws {
        struct Optionals: Encodable {
            var f: Float? = nil, i8: Int8? = nil, i16: Int16? = nil, i32: Int32? = nil
            var u: UInt? = nil, u8: UInt8? = nil, u16: UInt16? = nil, u32: UInt32? = nil, u64: UInt64? = 7
        }
        let text = try JSONValueEncoder().encodeText(Optionals(u64: nil))
        #expect(text == #"{"f":null,"i8":null,"i16":null,"i32":null,"u":null,"u8":null,"u16":null,"u32":null,"u64":null}"#)
    }

    @Test func prettyPrints() throws {
        let value = try JSONParser.parse(#"{"b":[1,{"c":null}],"a":{}}"#)
        #expect(value.prettyText == "{\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ],\n  \"a\": {}\n}")
    }

    @Test func escapesLikeJavaScript() {
        // JSON.stringify("q\"b\\n\n\t\u0001/é") === "\"q\\\"b\\\\n\\n\\t\\u0001/é\""
        #expect(JSONValue.string("q\"b\\n\n\t\u{01}/é").compactText == #""q\"b\\n\n\t\u0001/é""#)
        #expect(JSONValue.string("\u{08}\u{0C}\r\u{1F}").compactText == #""\b\f\r\u001f""#)
    }

    @Test func parsesAndKeepsOrderAndNumberText() throws {
        let text = #"{"z":1.50,"a":-0,"m":[1e3,2E-2],"s":"x\u00e9\ud83d\ude00\/"}"#
        let value = try JSONParser.parse(text)
        #expect(value["z"] == .number("1.50"))
        #expect(value["m"] == .array([.number("1e3"), .number("2E-2")]))
        #expect(value["s"] == .string("xé😀/"))
        #expect(value.compactText == #"{"z":1.50,"a":-0,"m":[1e3,2E-2],"s":"xé😀/"}"#)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\"}", "01", "1.", "-", "tru", "\"\\x\"", "[1] 2", "{\"a\":1,}", "\"\u{01}\"", "nul"])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(deep) }
    }

    @Test func roundTripsScalars() throws {
        for text in ["true", "false", "null", "0", "-12.5e+3", "\"\"", "[]", "{}"] {
            #expect(try JSONParser.parse(text).compactText == text)
        }
    }
}

@Suite struct OneLineMessageTests {
    struct Wordy: Error, CustomStringConvertible {
        var description: String { "first line\nsecond line" }
    }

    @Test func categorizedErrorsGiveTheirMessageOthersTheirFirstLine() {
        #expect(oneLineMessage(WWError.unavailable("redis 127.0.0.1:1: connection refused")) == "redis 127.0.0.1:1: connection refused")
        #expect(oneLineMessage(Wordy()) == "first line")
    }
}
