import Redis
import TestSupport
import Testing

@Suite struct RedisPipelineTests {
    /// 100,000 INCRs of one counter: every reply arrives, in order, exactly once, and the
    /// command sequence is consumed one batch at a time.
    @Test func hundredThousandCommandsInBoundedBatches() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("pipeline")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let counter = prefix + "counter"
        let total = 100_000
        let batchSize = 1000
        var produced = 0
        let commands = (0..<total).lazy.map { _ -> [any RedisArgument] in
            produced += 1
            return ["INCR", counter]
        }
        var received = 0
        var outOfOrder = 0
        var aheadOfBatch = 0
        try redis.pipelined(commands, batchSize: batchSize) { index, reply in
            if index != received || reply != .integer(Int64(index + 1)) { outOfOrder += 1 }
            if produced > (index / batchSize + 1) * batchSize { aheadOfBatch += 1 }
            received += 1
        }
        #expect(received == total)
        #expect(outOfOrder == 0)
        #expect(aheadOfBatch == 0)
        #expect(try redis.command("GET", counter).int == Int64(total))
        #expect(redis.connectionsOpened == 1)
    }

    @Test func errorRepliesComeBackInline() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("pipeline-errors")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        let key = prefix + "k"
        let replies = try redis.pipeline([
            ["SET", key, "v"],
            ["INCR", key],
            ["GET", key],
            ["LPUSH", key, "x"],
            ["GET", prefix + "missing"],
        ])
        #expect(replies.count == 5)
        #expect(replies[0] == .status("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("ERR value is not an integer") == true)
        #expect(replies[2] == .bulk(Array("v".utf8)))
        #expect(replies[3].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(replies[4] == .null)
        #expect(try redis.command("PING") == .status("PONG"))
    }

    /// A consumer that throws stops the pipeline before the next batch goes out, and the
    /// connection stays in step with the server.
    @Test func throwingConsumerStopsAfterItsBatch() throws {
        struct Stop: Error {}
        let redis = try SharedRedis.connect()
        var produced = 0
        let commands = (0..<100).lazy.map { index -> [any RedisArgument] in
            produced += 1
            return ["ECHO", index]
        }
        var seen: [Int] = []
        #expect(throws: Stop.self) {
            try redis.pipelined(commands, batchSize: 4) { index, _ in
                seen.append(index)
                if index == 5 { throw Stop() }
            }
        }
        #expect(seen == [0, 1, 2, 3, 4, 5])
        #expect(produced == 8)
        #expect(try redis.command("ECHO", "after") == .bulk(Array("after".utf8)))
        #expect(redis.connectionsOpened == 1)
    }

    @Test func emptyPipelineAndBadBatchSize() throws {
        let redis = try SharedRedis.connect()
        #expect(try redis.pipeline([]).isEmpty)
        let error = try #require(throws: RedisError.self) {
            try redis.pipelined([["PING"]], batchSize: 0) { _, _ in }
        }
        #expect(error.kind == .invalidRequest)
        let empty = try #require(throws: RedisError.self) { try redis.pipeline([["PING"], []]) }
        #expect(empty.kind == .invalidRequest)
        #expect(try redis.command("PING") == .status("PONG"))
    }

    /// The server drops us while a 16 MiB command is still being written (its query
    /// buffer limit is 1 MiB). On a unix socket the next write after that raises SIGPIPE,
    /// which would kill the whole test process if the client did not block it around
    /// hiredis' write; instead it is an I/O error, and the next call reconnects.
    @Test func serverClosingMidWriteIsAnErrorNotSIGPIPE() throws {
        let server = try RedisTestServer(
            port: RedisTestPorts.queryLimit,
            arguments: ["--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "1mb"])
        let redis = try RedisConnection(server.unixURL(database: 1))
        let huge = [UInt8](repeating: 0x78, count: 16 << 20)
        let inPipeline = try #require(throws: RedisError.self) {
            try redis.pipeline([["SET", "big", huge], ["SET", "big", huge]])
        }
        #expect(inPipeline.kind == .io)
        #expect(inPipeline.message.hasPrefix("redis \(server.socketPath)?db=1: connection lost: "))
        let single = try #require(throws: RedisError.self) { try redis.command("SET", "big", huge) }
        #expect(single.kind == .io)
        #expect(single.command == "SET")
        #expect(try redis.command("PING") == .status("PONG"))
        #expect(redis.connectionsOpened == 3)
    }
}
