import Foundation
@testable import Redis
import Testing

/// `RedisCommandBuffer` and `RedisReplyBuffer`: the same replies as `pipeline`, without trees.
@Suite struct RedisBulkPipelineTests {
    /// Every reply shape RESP2 has, each compared with what `pipeline` returns for the
    /// same commands on the same data.
    @Test func repliesReadBackAsPipelineReturnsThem() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("bulk-parity")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let binary = (0...255).map { UInt8($0) } + Array("\r\n$3\r\n*1\r\n".utf8)
        let large = [UInt8](repeating: 0x78, count: 3_000_000)
        try redis.command(["SET", prefix + "binary", binary])
        try redis.command(["SET", prefix + "large", large])
        try redis.command(["SET", prefix + "ttl", "v", "EX", 100])
        try redis.command(["SET", prefix + "empty", ""])
        try redis.command(["RPUSH", prefix + "list", "a", "", "c"])
        try redis.command(["XADD", prefix + "stream", "1-1", "f", "v"])
        try redis.command(["XADD", prefix + "stream", "2-1", "g", "w", "h", ""])
        let commands: [[any RedisArgument]] = [
            ["GET", prefix + "binary"],
            ["GET", prefix + "large"],
            ["GET", prefix + "missing"],
            ["GET", prefix + "empty"],
            ["PTTL", prefix + "binary"],
            ["PTTL", prefix + "missing"],
            ["TTL", prefix + "ttl"],
            ["INCR", prefix + "binary"],
            ["LPUSH", prefix + "binary", "x"],
            ["LRANGE", prefix + "list", 0, -1],
            ["LRANGE", prefix + "missing", 0, -1],
            ["XRANGE", prefix + "stream", "-", "+"],
            ["PING"],
            ["ECHO", ""],
            ["MEMORY", "USAGE", prefix + "missing"],
            ["COMMAND", "INFO", "GET", "SCAN"],
            ["INCRBY", prefix + "counter", -9_223_372_036_854_775_807],
            ["DECR", prefix + "counter"],
        ]
        let expected = try redis.pipeline(commands)
        var buffer = RedisCommandBuffer()
        for command in commands { buffer.append(command) }
        try redis.command(["DEL", prefix + "counter"])
        let replies = RedisReplyBuffer()
        try redis.pipeline(buffer, into: replies)
        #expect(replies.count == commands.count)
        for index in commands.indices {
            #expect(replies.value(of: replies.reply(index)) == expected[index], "command \(index)")
        }
        // The accessors agree with the trees.
        #expect(replies.bytes(of: replies.reply(0)) == binary)
        #expect(replies.withBytes(of: replies.reply(1)) { $0.count } == large.count)
        #expect(replies.kind(of: replies.reply(2)) == .null)
        #expect(replies.bytes(of: replies.reply(3)) == [])
        #expect(replies.integer(replies.reply(4)) == -1)
        #expect(replies.integer(replies.reply(5)) == -2)
        #expect(replies.integer(replies.reply(0)) == nil)
        #expect(replies.errorMessage(replies.reply(7))?.hasPrefix("ERR value is not an integer") == true)
        #expect(replies.errorMessage(replies.reply(8))?.hasPrefix("WRONGTYPE") == true)
        let list = replies.reply(9)
        #expect(replies.elementCount(of: list) == 3)
        #expect(replies.elements(of: list).map { replies.string(of: $0) } == ["a", "", "c"])
        #expect(replies.elementCount(of: replies.reply(10)) == 0)
        #expect(replies.elementCount(of: replies.reply(2)) == nil)
        let entries = Array(replies.elements(of: replies.reply(11)))
        #expect(entries.count == 2)
        let second = Array(replies.elements(of: entries[1]))
        #expect(replies.string(of: second[0]) == "2-1")
        #expect(replies.elements(of: second[1]).map { replies.string(of: $0) } == ["g", "w", "h", ""])
        #expect(replies.string(of: replies.reply(12)) == "PONG")
        #expect(replies.kind(of: replies.reply(12)) == .status)
        #expect(replies.integer(replies.reply(17)) == Int64.min)
        // Nested arrays: the second top-level element of COMMAND INFO is reached past the first's subtree.
        let info = Array(replies.elements(of: replies.reply(15)))
        #expect(info.count == 2)
        #expect(replies.string(of: replies.elements(of: info[1]).first { _ in true }!) == "scan")
        // The connection stays in step.
        #expect(try redis.command(["ECHO", "after"]) == .bulk(Array("after".utf8)))
        #expect(redis.connectionsOpened == 1)
    }

    /// 20,000 PTTL commands written from keys in one buffer, replies in order, and the
    /// buffers reused for a second round.
    @Test func manyKeyCommandsFromBorrowedBytes() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("bulk-many")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let total = 20_000
        try redis.pipelined((0..<total).lazy.map { i -> [any RedisArgument] in
            i % 2 == 0 ? ["SET", "\(prefix)\(i)", "v", "PX", 1_000_000 + i] : ["SET", "\(prefix)\(i)", "v"]
        }) { _, reply in #expect(reply == .status("OK")) }
        var keys: [UInt8] = []
        var ends: [Int] = []
        for i in 0..<(total + 10) {
            keys += Array("\(prefix)\(i)".utf8)
            ends.append(keys.count)
        }
        var buffer = RedisCommandBuffer()
        let replies = RedisReplyBuffer()
        for round in 0..<2 {
            buffer.removeAll()
            keys.withUnsafeBytes { bytes in
                var start = 0
                for end in ends {
                    buffer.append("PTTL", key: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                }
            }
            try redis.pipeline(buffer, into: replies)
            #expect(replies.count == total + 10, "round \(round)")
            var wrong = 0
            for i in 0..<(total + 10) {
                let ttl = replies.integer(replies.reply(i)) ?? -100
                let ok = i >= total ? ttl == -2 : i % 2 == 1 ? ttl == -1 : ttl > 900_000 && ttl <= 1_000_000 + Int64(i)
                if !ok { wrong += 1 }
            }
            #expect(wrong == 0)
        }
        #expect(redis.connectionsOpened == 1)
    }

    @Test func commandsAreEncodedAsRESP() {
        var buffer = RedisCommandBuffer()
        Array("k\r\n".utf8).withUnsafeBytes { buffer.append("PTTL", key: $0) }
        Array("key".utf8).withUnsafeBytes { buffer.append("MEMORY", "USAGE", key: $0) }
        buffer.beginCommand(arguments: 5)
        buffer.appendArgument("SCAN")
        buffer.appendArgument(0)
        buffer.appendArgument(-123)
        buffer.appendArgument(Int.min)
        buffer.appendArgument([UInt8]())
        buffer.append(["SET", "a", 10])
        #expect(buffer.count == 4)
        #expect(buffer.problem == nil)
        let expected = "*2\r\n$4\r\nPTTL\r\n$3\r\nk\r\n\r\n"
            + "*3\r\n$6\r\nMEMORY\r\n$5\r\nUSAGE\r\n$3\r\nkey\r\n"
            + "*5\r\n$4\r\nSCAN\r\n$1\r\n0\r\n$4\r\n-123\r\n$20\r\n-9223372036854775808\r\n$0\r\n\r\n"
            + "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$2\r\n10\r\n"
        #expect(buffer.bytes == Array(expected.utf8))
        // A copy is independent of the original.
        var copy = buffer
        copy.append(["PING"])
        #expect(buffer.count == 4 && copy.count == 5)
        #expect(copy.bytes.count == buffer.bytes.count + 14)
        buffer.removeAll()
        #expect(buffer.isEmpty && buffer.bytes.isEmpty)
        #expect(copy.count == 5)
    }

    /// A misused buffer is refused before anything is sent; the connection stays usable.
    @Test func misusedBuffersAreRefusedUnsent() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("bulk-misuse")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        var short = RedisCommandBuffer()
        short.append(["SET", prefix + "a", "1"])
        short.beginCommand(arguments: 3)
        short.appendArgument("SET")
        var extra = RedisCommandBuffer()
        extra.append(["SET", prefix + "b", "1"])
        extra.appendArgument("x")
        var empty = RedisCommandBuffer()
        empty.append(["SET", prefix + "c", "1"])
        empty.beginCommand(arguments: 0)
        var early = RedisCommandBuffer()
        early.appendArgument("PING")
        var interrupted = RedisCommandBuffer()
        interrupted.beginCommand(arguments: 3)
        interrupted.appendArgument("SET")
        Array("k".utf8).withUnsafeBytes { interrupted.append("GET", key: $0) }
        let replies = RedisReplyBuffer()
        for (buffer, detail) in [
            (short, "command 2 is missing 2 of its arguments"),
            (extra, "command 1 has more arguments than it declared"),
            (empty, "command 2 is empty"),
            (early, "an argument comes before any command"),
            (interrupted, "command 1 is missing 2 of its arguments"),
        ] {
            let error = try #require(throws: RedisError.self) { try redis.pipeline(buffer, into: replies) }
            #expect(error.kind == .invalidRequest)
            #expect(error.detail == "command buffer: \(detail)")
        }
        #expect(try redis.command(["EXISTS", prefix + "a", prefix + "b", prefix + "c"]) == .integer(0))
        #expect(try redis.command(["PING"]) == .status("PONG"))
        // Nothing to send is no round trip.
        try redis.pipeline(RedisCommandBuffer(), into: replies)
        #expect(replies.count == 0)
    }

    /// A server that never answers: the bytes on the wire are exactly the buffer, the
    /// wait ends at the command timeout and the connection is dropped.
    @Test func timeoutDropsTheConnection() throws {
        let listener = try SilentListener()
        let redis = try RedisConnection("redis://127.0.0.1:\(listener.port)/0", connectTimeout: 2, commandTimeout: 0.2)
        var buffer = RedisCommandBuffer()
        Array("k".utf8).withUnsafeBytes { buffer.append("PTTL", key: $0) }
        let error = try #require(throws: RedisError.self) { try redis.pipeline(buffer, into: RedisReplyBuffer()) }
        #expect(error.kind == .timeout)
        #expect(error.detail == "no reply within 0.2 s (pipeline, after 0 replies)")
        #expect(!redis.isConnected)
        let connection = try #require(listener.acceptQueued())
        #expect(SilentListener.drain(connection).bytes == Array("*2\r\n$4\r\nPTTL\r\n$1\r\nk\r\n".utf8))
    }

    /// Bytes that are not RESP: a protocol error, and the connection is dropped.
    @Test func garbageFromTheServerDropsTheConnection() throws {
        let listener = try SilentListener()
        let redis = try RedisConnection("redis://127.0.0.1:\(listener.port)/0", connectTimeout: 2, commandTimeout: 5)
        let answered = AnswerOnce(listener: listener, reply: Array(":1\r\n?what\r\n".utf8))
        let thread = Thread { answered.run() }
        thread.start()
        var buffer = RedisCommandBuffer()
        buffer.append(["PING"])
        buffer.append(["PING"])
        let error = try #require(throws: RedisError.self) { try redis.pipeline(buffer, into: RedisReplyBuffer()) }
        #expect(error.kind == .protocolError)
        #expect(error.detail == "protocol error: got '?' as reply type byte (pipeline, after 1 replies)")
        #expect(!redis.isConnected)
        answered.finished.wait()
    }

    /// More replies than commands: the stream is out of step, so the connection is dropped.
    @Test func surplusRepliesDropTheConnection() throws {
        let listener = try SilentListener()
        let redis = try RedisConnection("redis://127.0.0.1:\(listener.port)/0", connectTimeout: 2, commandTimeout: 5)
        let answered = AnswerOnce(listener: listener, reply: Array("+PONG\r\n+PONG\r\n".utf8))
        let thread = Thread { answered.run() }
        thread.start()
        var buffer = RedisCommandBuffer()
        buffer.append(["PING"])
        let error = try #require(throws: RedisError.self) { try redis.pipeline(buffer, into: RedisReplyBuffer()) }
        #expect(error.kind == .protocolError)
        #expect(!redis.isConnected)
        answered.finished.wait()
    }
}

/// Accepts one connection, waits for a request, writes `reply`.
private final class AnswerOnce: @unchecked Sendable {
    let listener: SilentListener
    let reply: [UInt8]
    let finished = DispatchSemaphore(value: 0)

    init(listener: SilentListener, reply: [UInt8]) {
        self.listener = listener
        self.reply = reply
    }

    func run() {
        defer { finished.signal() }
        var connection: Int32?
        for _ in 0..<500 where connection == nil {
            connection = listener.acceptQueued()
            if connection == nil { usleep(10_000) }
        }
        guard let connection else { return }
        var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, 5000)
        _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }
}

/// The parser on its own: however the bytes are split, the replies are the same.
@Suite struct RESPParserTests {
    private let stream = Array((
        "+OK\r\n-ERR bad\r\n:0\r\n:-42\r\n$-1\r\n$0\r\n\r\n$5\r\na\r\nbc\r\n*-1\r\n*0\r\n"
            + "*3\r\n:1\r\n*2\r\n$1\r\nx\r\n*0\r\n+in\r\n*1\r\n*1\r\n*1\r\n:7\r\n"
    ).utf8)

    private let expected: [RedisReply] = [
        .status("OK"), .error("ERR bad"), .integer(0), .integer(-42), .null, .bulk([]), .bulk(Array("a\r\nbc".utf8)),
        .null, .array([]),
        .array([.integer(1), .array([.bulk([0x78]), .array([])]), .status("in")]),
        .array([.array([.array([.integer(7)])])]),
    ]

    @Test func everySplitParsesTheSame() throws {
        for split in 0...stream.count {
            let buffer = RedisReplyBuffer()
            buffer.receive(Array(stream[..<split]))
            let early = try buffer.parse(until: expected.count)
            #expect(early == (split == stream.count))
            buffer.receive(Array(stream[split...]))
            #expect(try buffer.parse(until: expected.count))
            #expect(!buffer.hasUnparsedBytes)
            #expect((0..<buffer.count).map { buffer.value(of: buffer.reply($0)) } == expected, "split at \(split)")
        }
        // Byte by byte.
        let buffer = RedisReplyBuffer()
        for byte in stream {
            #expect(try !buffer.parse(until: expected.count) || buffer.count == expected.count)
            buffer.receive([byte])
        }
        #expect(try buffer.parse(until: expected.count))
        #expect((0..<buffer.count).map { buffer.value(of: buffer.reply($0)) } == expected)
    }

    @Test func violationsAreReported() {
        let cases: [(String, String)] = [
            ("?x\r\n", "got '?' as reply type byte"),
            (":12a\r\n", "bad integer value"),
            (":\r\n", "bad integer value"),
            (":99999999999999999999\r\n", "bad integer value"),
            ("$-2\r\n", "bad bulk string length"),
            ("$x\r\n", "bad bulk string length"),
            ("$1\r\nab\r\n", "bulk string not followed by CRLF"),
            ("*-5\r\n", "bad multi-bulk length"),
            (String(repeating: "*1\r\n", count: 40) + ":1\r\n", "reply nested too deeply"),
        ]
        for (text, detail) in cases {
            let buffer = RedisReplyBuffer()
            buffer.receive(Array(text.utf8))
            do {
                _ = try buffer.parse(until: 1)
                Issue.record("no violation for \(text.debugDescription)")
            } catch {
                #expect(error.detail == detail, "\(text.debugDescription)")
            }
        }
    }

    @Test func resetForgetsEverything() throws {
        let buffer = RedisReplyBuffer()
        buffer.receive(Array("*2\r\n:1\r\n".utf8))
        #expect(try !buffer.parse(until: 1))
        buffer.reset()
        buffer.receive(Array(":5\r\n".utf8))
        #expect(try buffer.parse(until: 1))
        #expect(buffer.value(of: buffer.reply(0)) == .integer(5))
    }
}
