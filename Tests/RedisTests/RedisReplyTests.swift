import CHiredis
import Testing

@testable import Redis

/// Reply conversion through hiredis' own reader: RESP bytes in, the `redisReply` tree
/// hiredis builds, converted and freed by the module.
private func decode(_ text: String) -> RedisReply? {
    decode(Array(text.utf8))
}

private func decode(_ bytes: [UInt8]) -> RedisReply? {
    guard let reader = redisReaderCreate() else { return nil }
    defer { redisReaderFree(reader) }
    let fed = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, $0.count) }
    }
    var raw: UnsafeMutableRawPointer?
    guard fed == REDIS_OK, redisReaderGetReply(reader, &raw) == REDIS_OK,
          let owned = HiredisReply(taking: raw)
    else { return nil }
    return owned.value
}

@Suite struct RedisReplyTests {
    @Test func scalars() {
        #expect(decode("+OK\r\n") == .status("OK"))
        #expect(decode("-WRONGTYPE Operation against a key\r\n") == .error("WRONGTYPE Operation against a key"))
        #expect(decode(":-42\r\n") == .integer(-42))
        #expect(decode(":9223372036854775807\r\n") == .integer(.max))
        #expect(decode("$-1\r\n") == .null)
        #expect(decode("*-1\r\n") == .null)
        #expect(decode("$0\r\n\r\n") == .bulk([]))
    }

    @Test func bulkStringsAreExactBytes() {
        let payload: [UInt8] = [0x61, 0x00, 0x0A, 0x0D, 0xFF, 0x62]
        #expect(decode(Array("$6\r\n".utf8) + payload + Array("\r\n".utf8)) == .bulk(payload))
    }

    @Test func nestedArrays() {
        let reply = decode("*4\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n*0\r\n+QUEUED\r\n")
        #expect(reply == .array([.integer(1), .array([.bulk([0x78]), .null]), .array([]), .status("QUEUED")]))
    }

    @Test func conveniences() {
        #expect(RedisReply.bulk(Array("héllo".utf8)).string == "héllo")
        #expect(RedisReply.status("PONG").string == "PONG")
        #expect(RedisReply.bulk([0xFF, 0xFE]).string == nil)
        #expect(RedisReply.bulk([0xFF]).bytes == [0xFF])
        #expect(RedisReply.integer(7).string == nil)
        #expect(RedisReply.integer(7).int == 7)
        #expect(RedisReply.bulk(Array("-12".utf8)).int == -12)
        #expect(RedisReply.bulk(Array("1.5".utf8)).int == nil)
        #expect(RedisReply.null.isNull && !RedisReply.bulk([]).isNull)
        #expect(RedisReply.array([.null]).array == [.null])
        #expect(RedisReply.bulk([]).array == nil)
        #expect(RedisReply.error("ERR x").errorMessage == "ERR x")
        #expect(RedisReply.error("ERR x").string == nil)
    }
}
