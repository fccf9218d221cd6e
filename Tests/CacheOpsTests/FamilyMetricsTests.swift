import CacheOps
import Foundation
import Keyspace
import Redis
import Support
import Testing

/// Writes `count` keys named by `name` with `value`, with TTL `ttl` seconds (nil: none).
private func plant(_ redis: RedisConnection, _ count: Int, ttl: Int?, value: String = "true", _ name: (Int) -> String) throws {
    let commands: [[any RedisArgument]] = (0..<count).map { i in
        ttl.map { ["SET", name(i), value, "EX", $0] } ?? ["SET", name(i), value]
    }
    for reply in try redis.pipeline(commands) { #expect(reply.errorMessage == nil) }
}

private func stats(_ metrics: FamilyMetrics, _ name: String) -> KeyGroupStats? {
    metrics.families.first { $0.name == name }
}

@Suite(.serialized) struct FamilyMetricsTests {
    @Test func countsPerFamilyOnAPlantedKeyspace() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.byFamily)
        defer { server.stop() }
        try plant(redis, 3000, ttl: 300) { "perm:\($0):7:product:read" }
        try plant(redis, 2, ttl: nil) { "perm:\($0):8:order:write" }
        try plant(redis, 40, ttl: 1800, value: String(repeating: "p", count: 300)) { "product:\($0)" }
        try plant(redis, 1, ttl: 9000) { "product:\($0 + 1000)" }                    // above its policy
        try plant(redis, 1, ttl: 600, value: "[]") { "user:\($0 + 5):orgs" }         // legacy form of user-orgs
        try plant(redis, 2, ttl: 900, value: "[]") { "user:orgs:\($0)" }
        try plant(redis, 1, ttl: 3600, value: "{}") { _ in "admin:stats:today" }     // today's policy is 300 s
        try plant(redis, 1, ttl: 3600, value: "{}") { _ in "admin:stats:week" }
        try plant(redis, 3, ttl: nil, value: "x") { "tmp:\($0)" }
        try plant(redis, 2, ttl: 60, value: "x") { "feature:flags:f\($0)" }

        var progressCalls = 0
        let metrics = try FamilyMetrics.collect(connection: redis, keyspace: unprefixed, memorySample: 10) { _ in progressCalls += 1 }
        #expect(progressCalls >= 1)
        #expect(metrics.walk.complete)
        #expect(!metrics.walk.interrupted)
        #expect(metrics.databaseKeys == 3053)
        // SCAN may repeat a key only while the table rehashes; nothing writes during this walk.
        #expect(metrics.walk.keys == 3053)
        #expect(metrics.walk.lookups == 3053)
        #expect(metrics.walk.vanished == 0)
        #expect(metrics.families.count == KeyspaceRegistry.standard.families.count)

        let perm = try #require(stats(metrics, "perm"))
        #expect(perm.keys == 3002)
        #expect(perm.withTTL == 3000)
        #expect(perm.aboveTTLPolicy == 0)
        #expect(perm.ttlPolicyMaxSeconds == 300)
        #expect((perm.ttlMaxMs ?? 0) <= 300_000 && (perm.ttlMinMs ?? 0) > 290_000)
        #expect(perm.ttlMedianMs.map { $0 >= perm.ttlMinMs! && $0 <= perm.ttlMaxMs! } == true)
        #expect(perm.ttlSampleSize == 1000)
        #expect(perm.memorySampleSize == 10)
        #expect(perm.memoryBytes > 0)

        let product = try #require(stats(metrics, "product"))
        #expect(product.keys == 41)
        #expect(product.withTTL == 41)
        #expect(product.aboveTTLPolicy == 1)
        #expect((product.ttlMaxMs ?? 0) > 1_800_000)
        // 300-byte values: the extrapolated memory is at least the values' bytes.
        #expect(product.memoryBytes >= 41 * 300)

        let userOrgs = try #require(stats(metrics, "user-orgs"))
        #expect(userOrgs.keys == 3)
        #expect(userOrgs.legacyKeys == 1)

        let adminStats = try #require(stats(metrics, "admin-stats"))
        #expect(adminStats.keys == 2)
        #expect(adminStats.aboveTTLPolicy == 1)   // today above 300 s; week within 3600 s

        #expect(stats(metrics, "session")?.keys == 0)
        let groups = Dictionary(uniqueKeysWithValues: metrics.otherGroups.map { ($0.name, $0) })
        #expect(groups["tmp:*"]?.keys == 3)
        #expect(groups["tmp:*"]?.withTTL == 0)
        #expect(groups["feature:flags:*"]?.keys == 2)
        #expect(groups["feature:flags:*"]?.withTTL == 2)
        #expect(metrics.otherGroups.first?.name == "tmp:*")   // most keys first

        var text = PrometheusText()
        metrics.write(to: &text)
        #expect(text.text.contains("wwctl_cache_family_keys{family=\"perm\"} 3002\n"))
        #expect(text.text.contains("wwctl_cache_family_keys{family=\"session\"} 0\n"))
        #expect(text.text.contains("wwctl_cache_other_keys{group=\"tmp:*\"} 3\n"))
        #expect(text.text.contains("wwctl_cache_family_keys_above_ttl_policy{family=\"product\"} 1\n"))
    }

    @Test func sampledWalkStopsAndExtrapolates() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.byFamily)
        defer { server.stop() }
        try plant(redis, 4000, ttl: 300) { "perm:\($0):1:product:read" }
        try plant(redis, 4000, ttl: 1800, value: "{}") { "product:\($0)" }
        let metrics = try FamilyMetrics.collect(connection: redis, keyspace: unprefixed, sample: 2500, memorySample: 50)
        #expect(metrics.walk.keys == 2500)
        #expect(!metrics.walk.complete)
        #expect(metrics.sampleLimit == 2500)
        let perm = try #require(stats(metrics, "perm"))
        let product = try #require(stats(metrics, "product"))
        #expect(perm.keys + product.keys == 2500)
        // Scaled to DBSIZE: the estimates add up to the whole database.
        #expect(abs(perm.estimatedKeys + product.estimatedKeys - 8000) <= 1)
        #expect(perm.memorySampleSize == 50)
        #expect(perm.memoryBytes > 0)
    }

    @Test func keyPrefixDecidesWhatBelongsToAFamily() throws {
        let (server, redis) = try spawnedRedis(port: CacheOpsPorts.prefix)
        defer { server.stop() }
        try plant(redis, 5, ttl: 300) { "app:perm:\($0):1:product:read" }
        try plant(redis, 2, ttl: 300) { "perm:\($0):1:product:read" }
        let metrics = try FamilyMetrics.collect(connection: redis, keyspace: keyspace("app:"))
        #expect(stats(metrics, "perm")?.keys == 5)
        #expect(metrics.otherGroups.map(\.name) == ["perm:*"])
        #expect(metrics.otherGroups.first?.keys == 2)
    }

    /// What Redis 7.0 does during a walk: PTTL counts exactly one lookup per key (there is
    /// no TTL read that avoids it), MEMORY USAGE and SCAN count none, and no key's LRU
    /// clock moves.
    @Test func walkAddsOneLookupPerKeyAndLeavesLRUAlone() throws {
        let (server, redis) = try spawnedRedis(
            port: CacheOpsPorts.noDistortion, ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"])
        defer { server.stop() }
        try plant(redis, 500, ttl: 300) { "perm:\($0):3:product:read" }
        try plant(redis, 20, ttl: nil) { "tmp:\($0)" }
        // OBJECT IDLETIME has a resolution of one second; let every key age at least 2 s.
        Thread.sleep(forTimeInterval: 2.2)
        try redis.command("CONFIG", "RESETSTAT")
        let metrics = try FamilyMetrics.collect(connection: redis, keyspace: unprefixed, memorySample: 1000)
        let after = try RedisMetrics.read(from: redis)
        #expect(metrics.walk.memoryCalls == 520)
        #expect(after.keyspaceHits == metrics.walk.lookups)
        #expect(after.keyspaceHits == 520)
        #expect(after.keyspaceMisses == 0)
        for key in ["perm:0:3:product:read", "perm:499:3:product:read", "tmp:7"] {
            let idle = try #require(redis.command("OBJECT", "IDLETIME", key).int)
            #expect(idle >= 2, "\(key) was touched by the walk")
        }
    }

    @Test func walkLeavesLFUCountersAlone() throws {
        let (server, redis) = try spawnedRedis(
            port: CacheOpsPorts.noDistortionLFU, ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lfu"])
        defer { server.stop() }
        try plant(redis, 50, ttl: 300) { "perm:\($0):3:product:read" }
        // Raise one key's counter above the initial 5 so a touch would be visible either way.
        for _ in 0..<200 { try redis.command("GET", "perm:1:3:product:read") }
        let before = try (0..<50).map { try redis.command("OBJECT", "FREQ", "perm:\($0):3:product:read").int }
        _ = try FamilyMetrics.collect(connection: redis, keyspace: unprefixed)
        let after = try (0..<50).map { try redis.command("OBJECT", "FREQ", "perm:\($0):3:product:read").int }
        #expect(before == after)
    }
}
