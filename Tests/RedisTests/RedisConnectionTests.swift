import Foundation
import Redis
import Support
import TestSupport
import Testing

@Suite struct RedisConnectionTests {
    @Test func closedPortIsRefused() throws {
        let port = try SilentListener.closedPort()
        // A long timeout: refusal must be reported as refusal, not waited out.
        let error = try #require(throws: RedisError.self) {
            try RedisConnection("redis://127.0.0.1:\(port)/0", connectTimeout: 60)
        }
        #expect(error.kind == .connect)
        #expect(error.category == .unavailable)
        #expect(error.message == "redis 127.0.0.1:\(port)/0: connection refused")
    }

    /// A listener whose accept queue is full drops our SYN: the connection neither
    /// succeeds nor is refused, which is what an unanswering address looks like.
    @Test func unansweringAddressTimesOutConnecting() throws {
        let listener = try SilentListener(backlog: 0)
        try listener.fillBacklog()
        let error = try #require(throws: RedisError.self) {
            try RedisConnection("redis://127.0.0.1:\(listener.port)/0", connectTimeout: 0.3)
        }
        #expect(error.kind == .timeout)
        #expect(error.category == .unavailable)
        #expect(error.message == "redis 127.0.0.1:\(listener.port)/0: connect timed out after 0.3 s")
    }

    @Test func missingUnixSocket() throws {
        let error = try #require(throws: RedisError.self) {
            try RedisConnection("unix:///nonexistent/wwctl-redis.sock?db=2")
        }
        #expect(error.kind == .connect)
        #expect(error.message == "redis /nonexistent/wwctl-redis.sock?db=2: no such socket")
    }

    @Test func unknownHost() throws {
        let error = try #require(throws: RedisError.self) {
            try RedisConnection("redis://:Secr3t@no-such-host.invalid:6379/1", connectTimeout: 2)
        }
        #expect(error.kind == .connect)
        #expect(error.category == .unavailable)
        #expect(error.message.hasPrefix("redis no-such-host.invalid:6379/1: cannot connect: "))
        #expect(!error.message.contains("Secr3t"))
    }

    @Test func badTimeoutIsAUsageError() throws {
        let error = try #require(throws: WWError.self) {
            try RedisConnection(url: SharedRedis.url, connectTimeout: 0)
        }
        #expect(error.category == .usage)
    }

    /// A server that accepts but never answers: the command times out, the context is
    /// dropped (not reused) and the command is not re-sent; the next call reconnects.
    @Test func commandTimeoutDropsTheConnectionWithoutRetrying() throws {
        let listener = try SilentListener()
        let redis = try RedisConnection("redis://127.0.0.1:\(listener.port)/0", connectTimeout: 2, commandTimeout: 0.2)
        let error = try #require(throws: RedisError.self) { try redis.command(["PING"]) }
        #expect(error.kind == .timeout)
        #expect(error.category == .unavailable)
        #expect(error.message == "redis 127.0.0.1:\(listener.port)/0: no reply within 0.2 s")
        #expect(!redis.isConnected)

        let second = try #require(throws: RedisError.self) { try redis.command(["ECHO", "again"]) }
        #expect(second.kind == .timeout)
        #expect(redis.connectionsOpened == 2)

        let first = try #require(listener.acceptQueued())
        let next = try #require(listener.acceptQueued())
        let firstSeen = SilentListener.drain(first)
        #expect(firstSeen.bytes == Array("*1\r\n$4\r\nPING\r\n".utf8))
        #expect(firstSeen.closed)
        #expect(SilentListener.drain(next).bytes == Array("*2\r\n$4\r\nECHO\r\n$5\r\nagain\r\n".utf8))
    }

    @Test func serverErrorReplyIsThrownWithMessageAndAddress() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("wrongtype")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        try redis.command("SET", prefix + "k", "v")
        let error = try #require(throws: RedisError.self) { try redis.command("LPUSH", prefix + "k", "x") }
        #expect(error.kind == .server)
        #expect(error.serverErrorCode == "WRONGTYPE")
        #expect(error.category == .internalError)
        #expect(error.serverMessage?.hasPrefix("WRONGTYPE Operation against a key holding the wrong kind of value") == true)
        #expect(error.message.hasPrefix("redis \(try SharedRedis.url.address): LPUSH: WRONGTYPE "))
        // An error reply is an answer, not a broken connection.
        #expect(try redis.command("GET", prefix + "k") == .bulk(Array("v".utf8)))
        #expect(redis.connectionsOpened == 1)
    }

    @Test func emptyCommandIsRejectedBeforeAnyIO() throws {
        let redis = try SharedRedis.connect()
        let error = try #require(throws: RedisError.self) { try redis.command([]) }
        #expect(error.kind == .invalidRequest)
        #expect(try redis.command("PING") == .status("PONG"))
    }

    /// CLIENT KILL from another connection: the next command notices the closed idle
    /// connection, reconnects (SELECT included) and succeeds.
    @Test func reconnectsAfterTheServerClosesTheConnection() throws {
        let redis = try SharedRedis.connect()
        let admin = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("reconnect")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: admin) }
        let firstID = try #require(try redis.command("CLIENT", "ID").int)
        #expect(try admin.command("CLIENT", "KILL", "ID", firstID) == .integer(1))

        let secondID = try #require(try redis.command("CLIENT", "ID").int)
        #expect(secondID != firstID)
        #expect(redis.connectionsOpened == 2)
        try admin.command("SET", prefix + "db-check", "in-9")
        #expect(try redis.command("GET", prefix + "db-check").string == "in-9")
        #expect(redis.connectionsOpened == 2)
    }

    @Test func closeThenUseOpensANewConnection() throws {
        let redis = try SharedRedis.connect()
        redis.close()
        #expect(!redis.isConnected)
        #expect(try redis.command("PING") == .status("PONG"))
        #expect(redis.connectionsOpened == 2)
    }

    @Test func pingVersionAndInfoFromALiveServer() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("info")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        try redis.command("SET", prefix + "a", "1", "EX", 600)
        let latency = try redis.ping()
        #expect(latency.isFinite && latency >= 0)
        let version = try redis.serverVersion()
        #expect(version.split(separator: ".").count == 3)
        let info = try redis.info()
        #expect(info.redisVersion == version)
        #expect(info.tcpPortMatches(try SharedRedis.url))
        #expect((info.keyspace[9]?.keys ?? 0) >= 1)
        #expect((info.keyspace[9]?.expires ?? 0) >= 1)
        let memory = try redis.info("memory")
        #expect(memory.usedMemory.map { $0 > 0 } == true)
        #expect(memory.redisVersion == nil)
    }
}

extension RedisInfo {
    fileprivate func tcpPortMatches(_ url: RedisURL) -> Bool {
        guard case .tcp(_, let port) = url.endpoint else { return false }
        return self["tcp_port"] == String(port)
    }
}
