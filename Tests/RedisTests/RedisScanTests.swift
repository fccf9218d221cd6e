import Redis
import Testing

@Suite struct RedisScanTests {
    /// Keys are added between SCAN calls (from another connection), growing the table
    /// through rehashes; every key present from start to end is still returned.
    @Test func everyKeyPresentThroughoutIsSeenWhileTheKeyspaceGrows() throws {
        let redis = try SharedRedis.connect()
        let writer = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("scan-grow")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: writer) }
        let base = (0..<3000).map { prefix + "base:\($0)" }
        _ = try writer.pipeline(base.map { ["SET", $0, "1"] })

        var scanner = redis.scan(match: Array((prefix + "*").utf8), count: 50)
        var seen = Set<String>()
        var added = 0
        var batches = 0
        while let batch = try scanner.nextBatch() {
            batches += 1
            for key in batch { seen.insert(String(decoding: key, as: UTF8.self)) }
            let fresh = (0..<100).map { prefix + "new:\(batches):\($0)" }
            _ = try writer.pipeline(fresh.map { ["SET", $0, "2"] })
            added += fresh.count
        }
        #expect(Set(base).subtracting(seen).isEmpty)
        #expect(seen.allSatisfy { $0.hasPrefix(prefix) })
        #expect(added >= 3000)  // the keyspace at least doubled during the walk
        #expect(scanner.isFinished && scanner.cursor == "0")
        #expect(scanner.roundTrips == batches)
        #expect(try scanner.nextBatch() == nil)
    }

    /// With a selective MATCH most batches are empty; the walk goes on to cursor 0.
    @Test func emptyBatchesDoNotEndTheWalk() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("scan-empty")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        _ = try redis.pipeline((0..<2000).map { ["SET", prefix + "hay:\($0)", "h"] })
        try redis.command("SET", prefix + "needle", "n")

        var scanner = redis.scan(match: Array((prefix + "needle").utf8), count: 10)
        var found: [[UInt8]] = []
        var emptyBatches = 0
        while let batch = try scanner.nextBatch() {
            if batch.isEmpty { emptyBatches += 1 }
            found += batch
        }
        #expect(Set(found) == [Array((prefix + "needle").utf8)])
        #expect(emptyBatches > 0)
    }

    @Test func typeFilterAndForEachKey() throws {
        let redis = try SharedRedis.connect()
        let prefix = SharedRedis.prefix("scan-type")
        defer { try? SharedRedis.deleteKeys(prefix: prefix, on: redis) }
        try redis.command("SET", prefix + "s", "x")
        try redis.command("HSET", prefix + "h", "f", "v")
        try redis.command("RPUSH", prefix + "l", "a")
        var scanner = redis.scan(match: Array((prefix + "*").utf8), count: 100, type: "hash")
        var keys: [String] = []
        try scanner.forEachKey { keys.append(String(decoding: $0, as: UTF8.self)) }
        #expect(keys == [prefix + "h"])
    }
}
