import Redis
import TestSupport
import Testing

/// `RedisStream`: commands written ahead of their replies, on the shared test server (DB 9).
@Suite struct RedisStreamTests {
    /// `send` writes to the socket and returns without waiting for the reply: another
    /// client blocked on the list receives what the stream pushed while the stream has read
    /// nothing. (Were the command still in the output buffer, BLPOP would time out.)
    @Test func sendReachesTheServerBeforeAnyReplyIsRead() throws {
        let redis = try SharedRedis.connect()
        let other = try SharedRedis.connect(commandTimeout: 10)
        let prefix = SharedRedis.prefix("stream-ahead")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: other) }
        let list = prefix + "list"
        var stream = RedisStream(redis)
        try stream.send([["RPUSH", list, "first"]])
        #expect(stream.pending == 1)
        let popped = try other.command("BLPOP", list, 5)
        #expect(popped == .array([.bulk(Array(list.utf8)), .bulk(Array("first".utf8))]))
        #expect(try stream.receive() == .integer(1))
        #expect(stream.pending == 0)
    }

    /// Replies come back one by one, in the order the commands were sent across several
    /// `send` calls; error replies come back inline and keep their place.
    @Test func repliesArriveInSendOrderWithErrorsInline() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("stream-order")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let key = prefix + "k"
        var stream = RedisStream(redis)
        try stream.send([["SET", key, "v"], ["INCR", key]])
        try stream.send([["ECHO", "third"]])
        #expect(stream.pending == 3)
        #expect(try stream.receive() == .status("OK"))
        try stream.send([["GET", key], ["LPUSH", key, "x"]])
        #expect(try stream.receive().errorMessage?.hasPrefix("ERR value is not an integer") == true)
        #expect(try stream.receive() == .bulk(Array("third".utf8)))
        #expect(try stream.receive() == .bulk(Array("v".utf8)))
        #expect(try stream.receive().errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(stream.pending == 0)
        #expect(try redis.command("PING") == .status("PONG"))
        #expect(redis.connectionsOpened == 1)
    }

    @Test func receiveWithNothingPendingIsAnInvalidRequest() throws {
        let redis = try SharedRedis.connect()
        var stream = RedisStream(redis)
        let error = try #require(throws: RedisError.self) { _ = try stream.receive() }
        #expect(error.kind == .invalidRequest)
        let empty = try #require(throws: RedisError.self) { try stream.send([[]]) }
        #expect(empty.kind == .invalidRequest)
        #expect(stream.pending == 0)
        #expect(try redis.command("PING") == .status("PONG"))
    }

    /// After `drain`, the connection carries other commands in step, on the same socket.
    @Test func drainLeavesTheConnectionInStep() throws {
        let redis = try SharedRedis.connect()
        var stream = RedisStream(redis)
        try stream.send([["ECHO", "a"], ["ECHO", "b"]])
        try stream.drain()
        #expect(stream.pending == 0)
        #expect(try redis.command("ECHO", "c") == .bulk(Array("c".utf8)))
        #expect(redis.connectionsOpened == 1)
    }

    /// A stream dropped with a reply pending takes the socket with it: the next command
    /// goes out on a new connection and reads its own reply, not the stale one.
    @Test func droppingAStreamWithRepliesPendingDropsTheConnection() throws {
        let redis = try SharedRedis.connect()
        do {
            var stream = RedisStream(redis)
            try stream.send([["ECHO", "stale"]])
        }
        #expect(try redis.command("ECHO", "fresh") == .bulk(Array("fresh".utf8)))
        #expect(redis.connectionsOpened == 2)
    }

    /// The server closes the connection while a reply is pending: `receive` throws an I/O
    /// error and forgets what was pending, and the next send connects afresh.
    @Test func connectionLostWhileAReplyIsPending() throws {
        let redis = try SharedRedis.connect()
        let admin = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("stream-lost")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: admin) }
        let id = try #require(try redis.command("CLIENT", "ID").int)
        var stream = RedisStream(redis)
        // Blocks on the server until the connection is killed.
        try stream.send([["BLPOP", prefix + "never", 0]])
        #expect(try admin.command("CLIENT", "KILL", "ID", id) == .integer(1))
        let error = try #require(throws: RedisError.self) { _ = try stream.receive() }
        #expect(error.kind == .io)
        #expect(stream.pending == 0)
        try stream.send([["ECHO", "again"]])
        #expect(try stream.receive() == .bulk(Array("again".utf8)))
        #expect(redis.connectionsOpened == 2)
    }

    /// While replies are pending, `command`, `pipeline` and the bulk pipeline are refused
    /// with nothing sent (each would read the stream's replies as its own); after the
    /// stream receives them the connection carries commands again on the same socket.
    @Test func otherUsesAreRefusedWhileRepliesArePending() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("stream-refuse")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        var stream = RedisStream(redis)
        try stream.send([["ECHO", "mine"]])
        let single = try #require(throws: RedisError.self) { try redis.command("SET", prefix + "k", "v") }
        #expect(single.kind == .invalidRequest)
        let many = try #require(throws: RedisError.self) { _ = try redis.pipeline([["SET", prefix + "k", "v"]]) }
        #expect(many.kind == .invalidRequest)
        var buffer = RedisCommandBuffer()
        buffer.beginCommand(arguments: 2)
        buffer.appendArgument("GET")
        buffer.appendArgument(prefix + "k")
        let bulk = try #require(throws: RedisError.self) { try redis.pipeline(buffer, into: RedisReplyBuffer()) }
        #expect(bulk.kind == .invalidRequest)
        #expect(try stream.receive() == .bulk(Array("mine".utf8)))
        #expect(try redis.command("EXISTS", prefix + "k") == .integer(0))
        #expect(redis.connectionsOpened == 1)
    }

    /// `close()` with replies pending: the stream's next receive fails (the socket is gone)
    /// and the connection carries commands again on a new socket, whether the stream is
    /// used again or dropped.
    @Test func closingTheConnectionWithRepliesPending() throws {
        let redis = try SharedRedis.connect()
        var stream = RedisStream(redis)
        try stream.send([["ECHO", "lost"]])
        redis.close()
        let error = try #require(throws: RedisError.self) { _ = try stream.receive() }
        #expect(error.kind == .io)
        #expect(stream.pending == 0)
        #expect(try redis.command("ECHO", "after") == .bulk(Array("after".utf8)))
        do {
            var dropped = RedisStream(redis)
            try dropped.send([["ECHO", "pending"]])
            redis.close()
        }
        #expect(try redis.command("ECHO", "again") == .bulk(Array("again".utf8)))
        #expect(redis.connectionsOpened == 3)
    }
}
