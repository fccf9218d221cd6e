import Redis
import Testing
@testable import WWCtl

@Suite struct RedisReplyTextTests {
    @Test func scalarsLookAsInRedisCli() {
        #expect(RedisReplyText.render(.status("OK")) == "OK\n")
        #expect(RedisReplyText.render(.integer(-3)) == "(integer) -3\n")
        #expect(RedisReplyText.render(.null) == "(nil)\n")
        #expect(RedisReplyText.render(.error("ERR unknown command 'FOO'")) == "(error) ERR unknown command 'FOO'\n")
        #expect(RedisReplyText.render(.array([])) == "(empty array)\n")
    }

    @Test func bulkStringsAreQuotedAndEscapedByteByByte() {
        let bytes: [UInt8] = Array("a\"b\\c\n\r\t".utf8) + [0x07, 0x08, 0x00, 0xFF] + Array("é".utf8)
        #expect(RedisReplyText.render(.bulk(bytes)) == #""a\"b\\c\n\r\t\a\b\x00\xff\xc3\xa9""# + "\n")
        #expect(RedisReplyText.render(.bulk([])) == "\"\"\n")
    }

    @Test func arraysAreNumberedAndNestedArraysIndented() {
        let reply = RedisReply.array([
            .bulk(Array("a".utf8)),
            .array([.integer(1), .array([.status("x"), .null])]),
            .null,
        ])
        #expect(RedisReplyText.render(reply) == """
            1) "a"
            2) 1) (integer) 1
               2) 1) x
                  2) (nil)
            3) (nil)

            """)
    }

    @Test func indexesAreRightAlignedToTheWidestOne() {
        let reply = RedisReply.array((1...10).map { .integer(Int64($0)) })
        let lines = RedisReplyText.render(reply).split(separator: "\n")
        #expect(lines.first == " 1) (integer) 1")
        #expect(lines.last == "10) (integer) 10")
    }
}
