import Redis
import Support
import TestSupport
import Testing

/// `--timeout` bounds each round trip as a whole. The server below answers every request
/// with one byte every 0.2 s: a reply of 7 bytes takes 1.4 s, although no single read
/// waits more than 0.2 s. With a per-read socket timeout of 0.5 s (SO_RCVTIMEO, which
/// restarts with every byte) each of these commands would succeed; with a deadline on
/// the round trip each one fails as a timeout.
@Suite struct RedisDeadlineTests {
    static let pong = Array("+PONG\r\n".utf8)

    @Test func aTricklingReplyTimesOutAsAWhole() throws {
        let server = try TricklingServer(reply: Self.pong, interval: 0.2)
        let redis = try RedisConnection("redis://127.0.0.1:\(server.port)/0", connectTimeout: 2, commandTimeout: 0.5)
        let error = try #require(throws: RedisError.self) { try redis.command(["PING"]) }
        #expect(error.kind == .timeout)
        #expect(error.category == .unavailable)
        #expect(error.message == "redis 127.0.0.1:\(server.port)/0: no reply within 0.5 s")
        #expect(!redis.isConnected)
    }

    @Test func aPipelinedBatchHasOneDeadline() throws {
        let server = try TricklingServer(reply: Self.pong, interval: 0.2)
        let redis = try RedisConnection("redis://127.0.0.1:\(server.port)/0", connectTimeout: 2, commandTimeout: 0.5)
        let error = try #require(throws: RedisError.self) { try redis.pipeline([["PING"], ["PING"]]) }
        #expect(error.kind == .timeout)
        #expect(error.message.hasSuffix("no reply within 0.5 s (pipeline, after 0 replies)"))
    }

    @Test func theBulkPipelineHasOneDeadline() throws {
        let server = try TricklingServer(reply: Self.pong, interval: 0.2)
        let redis = try RedisConnection("redis://127.0.0.1:\(server.port)/0", connectTimeout: 2, commandTimeout: 0.5)
        var commands = RedisCommandBuffer()
        commands.append(["PING"])
        let error = try #require(throws: RedisError.self) { try redis.pipeline(commands, into: RedisReplyBuffer()) }
        #expect(error.kind == .timeout)
    }

    @Test func eachStreamReceiveHasADeadline() throws {
        let server = try TricklingServer(reply: Self.pong, interval: 0.2)
        let redis = try RedisConnection("redis://127.0.0.1:\(server.port)/0", connectTimeout: 2, commandTimeout: 0.5)
        var stream = RedisStream(redis)
        try stream.send([["PING"]])
        let error = try #require(throws: RedisError.self) { try stream.receive() }
        #expect(error.kind == .timeout)
        #expect(stream.pending == 0)
    }

    /// AUTH is part of connecting: its reply counts against the connect deadline.
    @Test func authCountsAgainstTheConnectDeadline() throws {
        let server = try TricklingServer(reply: Array("+OK\r\n".utf8), interval: 0.2)
        let error = try #require(throws: RedisError.self) {
            try RedisConnection("redis://:Secr3tPw@127.0.0.1:\(server.port)/0", connectTimeout: 0.5, commandTimeout: 5)
        }
        #expect(error.kind == .timeout)
        #expect(error.message == "redis 127.0.0.1:\(server.port)/0: connect timed out after 0.5 s (waiting for AUTH)")
        #expect(!error.message.contains("Secr3tPw"))
    }

    /// A server that accepts and never speaks: the TLS handshake waits for its answer
    /// only until the connect deadline.
    @Test func aSilentServerTimesOutTheTLSHandshake() throws {
        let listener = try SilentListener()
        let error = try #require(throws: RedisError.self) {
            try RedisConnection("rediss://127.0.0.1:\(listener.port)/0", connectTimeout: 0.3, commandTimeout: 5)
        }
        #expect(error.kind == .timeout)
        #expect(error.message == "redis 127.0.0.1:\(listener.port)/0: connect timed out after 0.3 s during the TLS handshake (is it a TLS port?)")
    }
}
