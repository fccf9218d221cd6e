import CacheOps
import Foundation
import Keyspace
import Redis
import Support
import Testing

/// Enough of INFO's default sections for `RedisMetrics`.
private func infoText(hits: Int, misses: Int, evicted: Int = 0, commands: Int = 10, used: Int = 1000, max: Int = 0) -> String {
    """
    # Server\r
    redis_version:7.0.15\r
    uptime_in_seconds:42\r
    # Clients\r
    connected_clients:3\r
    # Memory\r
    used_memory:\(used)\r
    used_memory_human:\(used)B\r
    used_memory_peak:2000\r
    maxmemory:\(max)\r
    maxmemory_policy:allkeys-lru\r
    mem_fragmentation_ratio:1.25\r
    # Stats\r
    total_commands_processed:\(commands)\r
    instantaneous_ops_per_sec:7\r
    expired_keys:4\r
    evicted_keys:\(evicted)\r
    keyspace_hits:\(hits)\r
    keyspace_misses:\(misses)\r
    # Replication\r
    role:master\r
    # Keyspace\r
    db0:keys=10,expires=4,avg_ttl=1000\r
    db3:keys=5,expires=0,avg_ttl=0\r

    """
}

@Suite struct MetricsUnitTests {
    @Test func figuresFromInfo() throws {
        let metrics = try RedisMetrics(info: RedisInfo(parsing: infoText(hits: 3, misses: 1, max: 4000)), address: "test")
        #expect(metrics.hitRate == 0.75)
        #expect(metrics.keys == 15)
        #expect(metrics.databases.map(\.index) == [0, 3])
        #expect(metrics.databases[0].expires == 4)
        #expect(metrics.memoryRatio == 0.25)
        #expect(metrics.maxmemoryPolicy == "allkeys-lru")
        #expect(metrics.version == "7.0.15")
        #expect(metrics.role == "master")
        #expect(metrics.opsPerSec == 7)
    }

    @Test func noLookupsMeansNoHitRate() throws {
        let metrics = try RedisMetrics(info: RedisInfo(parsing: infoText(hits: 0, misses: 0)), address: "test")
        #expect(metrics.hitRate == nil)
        #expect(metrics.memoryRatio == nil)
    }

    @Test func missingFieldIsAnErrorNamingIt() {
        #expect(throws: RedisError.self) {
            try RedisMetrics(info: RedisInfo(parsing: "# Server\r\nredis_version:7.0.15\r\n"), address: "127.0.0.1:1")
        }
        do {
            _ = try RedisMetrics(info: RedisInfo(parsing: "# Stats\r\nkeyspace_hits:1\r\n"), address: "127.0.0.1:1")
        } catch let error as RedisError {
            #expect(error.message == "redis 127.0.0.1:1: INFO has no keyspace_misses")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func intervalDeltasAndRates() throws {
        let a = try RedisMetrics(info: RedisInfo(parsing: infoText(hits: 10, misses: 10, evicted: 5, commands: 100, used: 1000)), address: "t")
        let b = try RedisMetrics(info: RedisInfo(parsing: infoText(hits: 40, misses: 20, evicted: 25, commands: 301, used: 1500)), address: "t")
        let delta = MetricsInterval(from: a, to: b, seconds: 2)
        #expect(delta.hits == 30)
        #expect(delta.misses == 10)
        #expect(delta.hitRate == 0.75)
        #expect(delta.evictedPerSec == 10)
        // The sampler's own INFO is not counted.
        #expect(delta.commands == 200)
        #expect(delta.opsPerSec == 100)
        #expect(delta.usedMemoryDelta == 500)
    }

    @Test func counterResetBetweenSamplesCountsFromZero() throws {
        let a = try RedisMetrics(info: RedisInfo(parsing: infoText(hits: 1000, misses: 1000)), address: "t")
        let b = try RedisMetrics(info: RedisInfo(parsing: infoText(hits: 3, misses: 1)), address: "t")
        let delta = MetricsInterval(from: a, to: b, seconds: 1)
        #expect(delta.hits == 3)
        #expect(delta.misses == 1)
        #expect(delta.hitRate == 0.75)
    }

    @Test func prometheusTextFormat() {
        var out = PrometheusText()
        out.metric("a_total", .counter, help: "with \\ and\nnewline", value: 3)
        out.metric("b", .gauge, help: "labels", samples: [([("db", "0"), ("x", "q\"uo\\te\n")], 1.5)])
        out.metric("skipped", .gauge, help: "nil value", value: Optional<Int>.none)
        out.metric("a_total", .counter, help: "again", value: 4)
        #expect(out.text == """
            # HELP wwctl_a_total with \\\\ and\\nnewline
            # TYPE wwctl_a_total counter
            wwctl_a_total 3
            # HELP wwctl_b labels
            # TYPE wwctl_b gauge
            wwctl_b{db="0",x="q\\"uo\\\\te\\n"} 1.5

            """)
    }

    @Test func reservoirKeepsAUniformBoundedSample() {
        var small = Reservoir(capacity: 10)
        for value in [5, 1, 3] { small.add(Int64(value)) }
        #expect(small.median == 3)
        var large = Reservoir(capacity: 101)
        for value in 1...100_000 { large.add(Int64(value)) }
        #expect(large.values.count == 101)
        #expect(large.seen == 100_000)
        // A uniform sample's median lands near the middle; a biased one (first or last
        // values kept) would not.
        let median = large.median ?? 0
        #expect(median > 30_000 && median < 70_000)
    }

    @Test func groupsOfKeysOfNoFamily() {
        #expect(KeyGroupLabel.label(for: Array("tmp:42".utf8), prefix: KeyPrefix("")) == "tmp:*")
        #expect(KeyGroupLabel.label(for: Array("feature:flags:beta".utf8), prefix: KeyPrefix("")) == "feature:flags:*")
        #expect(KeyGroupLabel.label(for: Array("queue:12345678-aa:x".utf8), prefix: KeyPrefix("")) == "queue:*")
        #expect(KeyGroupLabel.label(for: Array("lonely".utf8), prefix: KeyPrefix("")) == "lonely")
        #expect(KeyGroupLabel.label(for: Array("app:tmp:1".utf8), prefix: KeyPrefix("app:")) == "app:tmp:*")
        #expect(KeyGroupLabel.label(for: [0x01, 0xFF, 0x3A, 0x31], prefix: KeyPrefix("")) == "\\x01\\xff:*")
    }

    @Test func keysShownLikeRedisCli() {
        #expect(KeyText.escaped(Array("perm:1:2:x:y".utf8)) == "perm:1:2:x:y")
        #expect(KeyText.escaped(Array("café".utf8)) == "café")
        #expect(KeyText.escaped([0x61, 0x00, 0x0A, 0xC3, 0x28, 0x5C]) == "a\\x00\\x0a\\xc3(\\\\")
    }
}

@Suite(.serialized) struct MetricsServerTests {
    @Test func hitRateAfterKnownHitsAndMisses() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.hitRate)
        defer { server.stop() }
        try redis.command("SET", "a", "1")
        try redis.command("SET", "b", "2")
        try redis.command("CONFIG", "RESETSTAT")
        #expect(try RedisMetrics.read(from: redis).hitRate == nil)
        for _ in 0..<6 { try redis.command("GET", "a") }
        try redis.command("GET", "b")
        for _ in 0..<3 { try redis.command("GET", "missing") }
        let metrics = try RedisMetrics.read(from: redis)
        #expect(metrics.keyspaceHits == 7)
        #expect(metrics.keyspaceMisses == 3)
        #expect(metrics.hitRate == 0.7)
        #expect(metrics.keys == 2)
        #expect(metrics.databases == [RedisMetrics.Database(index: 0, keys: 2, expires: 0, avgTTLMs: 0)])
        #expect(metrics.maxmemory == 0)
        #expect(metrics.memoryRatio == nil)
    }

    @Test func evictionsUnderASmallMaxmemory() throws {
        let (server, redis) = try spawnedRedis(
            port: CacheOpsPorts.evictions, ["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"])
        defer { server.stop() }
        let before = try RedisMetrics.read(from: redis)
        #expect(before.evictedKeys == 0)
        let value = [UInt8](repeating: 0x78, count: 1024)
        try redis.pipelined((0..<5000).lazy.map { ["SET", "fill:\($0)", value] as [any RedisArgument] }) { _, reply in
            #expect(reply.errorMessage == nil)
        }
        let after = try RedisMetrics.read(from: redis)
        #expect(after.evictedKeys > 0)
        #expect(after.keys < 5000)
        #expect(after.keys + after.evictedKeys == 5000)
        #expect(after.maxmemory == 2 * 1024 * 1024)
        #expect(after.maxmemoryPolicy == "allkeys-lru")
        #expect((after.memoryRatio ?? 0) > 0.5)
    }

    @Test func watchReportsEachIntervalWithoutCountingItsOwnCommands() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.watch)
        defer { server.stop() }
        let other = try RedisConnection(server.url())
        try other.command("SET", "k", "v")
        var intervals: [MetricsInterval] = []
        let end = try MetricsWatcher.watch(redis, interval: 0.2, count: 3) { delta, _ in
            intervals.append(delta)
            if intervals.count == 1 {
                // Lookups during the second interval: 4 hits and 1 miss, 5 commands.
                for _ in 0..<4 { try other.command("GET", "k") }
                try other.command("GET", "nope")
            }
        }
        #expect(end == .completed)
        #expect(intervals.count == 3)
        #expect(intervals[0].commands == 0)
        #expect(intervals[0].hitRate == nil)
        #expect(intervals[1].hits == 4)
        #expect(intervals[1].misses == 1)
        #expect(intervals[1].hitRate == 0.8)
        #expect(intervals[1].commands == 5)
        #expect(intervals[2].commands == 0)
        #expect(intervals.allSatisfy { $0.seconds > 0 && $0.keys == 1 })
    }

    @Test func rejectsBadWatchArguments() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.watch)
        defer { server.stop() }
        #expect(throws: WWError.self) { try MetricsWatcher.watch(redis, interval: 0, count: 1) { _, _ in } }
        #expect(throws: WWError.self) { try MetricsWatcher.watch(redis, interval: 1, count: 0) { _, _ in } }
    }
}
