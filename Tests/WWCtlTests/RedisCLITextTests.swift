import Testing
@testable import WWCtl

/// Keys and values escaped as redis-cli's `sdscatrepr` writes them and read back as its
/// `sdssplitargs` reads a quoted argument.
struct RedisCLITextTests {
    @Test func quotedMatchesSdscatrepr() {
        #expect(RedisCLIText.quoted(Array("perm:1:2:product:read".utf8)) == "\"perm:1:2:product:read\"")
        #expect(RedisCLIText.quoted(Array("a\nb".utf8)) == #""a\nb""#)
        #expect(RedisCLIText.quoted([0xFF, 0x22, 0x78, 0x5C, 0x09, 0x07, 0x08, 0x0D, 0x01]) == #""\xff\"x\\\t\a\b\r\x01""#)
        // UTF-8 shows as its bytes, as redis-cli shows it; space and ~ are printable, DEL is not.
        #expect(RedisCLIText.quoted(Array("café ~".utf8) + [0x7F, 0x00]) == #""caf\xc3\xa9 ~\x7f\x00""#)
        #expect(RedisCLIText.quoted([]) == "\"\"")
        // Form feed and vertical tab have no short escape in sdscatrepr.
        #expect(RedisCLIText.quoted([0x0C, 0x0B, 0x1B]) == #""\x0c\x0b\x1b""#)
    }

    @Test func everyByteRoundTrips() {
        let all = (0...255).map { UInt8($0) }
        let text = RedisCLIText.quoted(all)
        #expect(RedisCLIText.unquoted(Array(text.utf8)[...]) == all)
        #expect(text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        for byte in all {
            #expect(RedisCLIText.bytes(fromArgument: RedisCLIText.quoted([0x61, byte, 0x62])) == [0x61, byte, 0x62])
        }
    }

    @Test func linesQuoteOnATerminalAndOnlyWhenNeededInAPipe() {
        #expect(RedisCLIText.line(Array("perm:1".utf8), terminal: true) == "\"perm:1\"")
        #expect(RedisCLIText.line(Array("perm:1".utf8), terminal: false) == "perm:1")
        #expect(RedisCLIText.line(Array("product:[1] *?".utf8), terminal: false) == "product:[1] *?")
        #expect(RedisCLIText.line(Array("a\nb".utf8), terminal: false) == #""a\nb""#)
        #expect(RedisCLIText.line(Array("say \"hi\"".utf8), terminal: false) == #""say \"hi\"""#)
        #expect(RedisCLIText.line(Array("back\\slash".utf8), terminal: false) == #""back\\slash""#)
        #expect(RedisCLIText.line(Array("café".utf8), terminal: false) == #""caf\xc3\xa9""#)
    }

    @Test func jsonStringsAreTheKeyUnlessItIsNotUTF8OrLooksQuoted() {
        #expect(RedisCLIText.jsonString(Array("café\n".utf8)) == "café\n")
        #expect(RedisCLIText.jsonString(Array("bin:".utf8) + [0xFF]) == #""bin:\xff""#)
        #expect(RedisCLIText.jsonString(Array("\"quoted\"".utf8)) == #""\"quoted\"""#)
        #expect(RedisCLIText.jsonString(Array("\"".utf8)) == "\"")
        // What JSON shows reads back to the key.
        for key: [UInt8] in [Array("bin:".utf8) + [0xFF, 0x0A], Array("\"x\"".utf8), Array("plain".utf8)] {
            #expect(RedisCLIText.bytes(fromArgument: RedisCLIText.jsonString(key)) == key)
        }
    }

    @Test func readingFollowsSdssplitargs() {
        #expect(RedisCLIText.bytes(fromArgument: #""a\x41\x4a\n\r\t\b\a\"\\\q""#) == Array("aAJ\n\r\t".utf8) + [0x08, 0x07, 0x22, 0x5C, UInt8(ascii: "q")])
        // \x without two hex digits is a plain x, as in redis-cli.
        #expect(RedisCLIText.bytes(fromArgument: #""\xg1\x4""#) == Array("xg1x4".utf8))
        // Not one quoted form: taken as typed.
        #expect(RedisCLIText.bytes(fromArgument: #""a"b""#) == Array(#""a"b""#.utf8))
        #expect(RedisCLIText.bytes(fromArgument: #""a\""#) == Array(#""a\""#.utf8))
        #expect(RedisCLIText.bytes(fromArgument: "\"") == [0x22])
        #expect(RedisCLIText.bytes(fromArgument: "plain:*") == Array("plain:*".utf8))
        #expect(RedisCLIText.bytes(fromArgument: "\"\"") == [])
    }
}
