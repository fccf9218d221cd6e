import CacheOps
import Foundation
import Keyspace
import Redis
import Testing

/// The metrics range's port for these tests (6430-6450; 6450 is bench/metrics.sh's).
private let walkerPort = 6449

/// Keys of every shape the walker must carry byte for byte: every family, legacy forms,
/// financial data, wwctl's own keys, keys of no family, and keys that are awkward on the
/// wire (CRLF, NUL, invalid UTF-8, the empty key, one of 300 kB).
private func plantedKeys(prefix: String) -> [(key: [UInt8], ttl: Int?)] {
    let texts: [(String, Int?)] = [
        ("perm:1:2:product:read", 300), ("perm:1:2:order:write", nil), ("jwt:blacklist:a.b.c", 50),
        ("user:orgs:7", 900), ("user:7:orgs", 600), ("org:42", 1800), ("org:42:members", 1800),
        ("org:42:stats", 1800), ("org:search:status=active:x", 600), ("attr:entity:product", 3600),
        ("attr:12", 3600), ("product:9", 9000), ("product:9:with-variants", 1800), ("org:42:products", 900),
        ("category:3:products", 900), ("categories:tree", 3600), ("commission:5:19.99", 600),
        ("commission:5:20.00", 600), ("order:1:vendor:2:items", 300), ("vendor:5:earnings:2025-01", 3600),
        ("shipping:rates:US:DE", 21600), ("refunds:org:5:a:b", 300), ("cart:123", 600), ("stock:456", 120),
        ("admin:stats:today", 3600), ("admin:stats:week", 3600), ("admin:top-products:10", 3600),
        ("admin:revenue:month", 3600), ("session:abc-def", 86400), ("user:123:sessions", 86400),
        ("ratelimit:::1:POST:/api/orders", 60), ("ratelimit:10.0.0.1:/api", 60), ("ratelimit:alice:GET:/", 60),
        ("vendor:7:balance", nil), ("payout:9", 60), ("Payments:recent", nil), ("wwctl:epoch:perm", nil),
        ("wwctl:lock:org:7", 30), ("tmp:1", nil), ("feature:flags:beta", 60), ("perm:01:2:product:read", 300),
        ("perm:1:2:product:read\r\n", 300), ("cart:1\u{0}", 600), ("", 100), ("ŝession:é", nil),
    ]
    var keys: [(key: [UInt8], ttl: Int?)] = texts.map { (Array($0.0.utf8), $0.1) }
    keys.append((Array("session:".utf8) + [0xFF, 0xFE], 86400))
    keys.append(([0xC3, 0x28, 0x3A, 0x31], nil))
    keys.append((Array("session:".utf8) + [UInt8](repeating: 0x61, count: 300_000), 86400))
    let prefixBytes = Array(prefix.utf8)
    return keys + keys.map { (prefixBytes + $0.key, $0.ttl) }
}

private func plant(_ redis: RedisConnection, _ keys: [(key: [UInt8], ttl: Int?)]) throws {
    let commands: [[any RedisArgument]] = keys.map { key, ttl in
        ttl.map { ["SET", key, "v", "EX", $0] } ?? ["SET", key, "v"]
    }
    for reply in try redis.pipeline(commands) { #expect(reply.errorMessage == nil) }
    // Each lookup moves an incremental rehash one step: finish any, so that SCAN returns
    // every key exactly once.
    _ = try redis.pipeline(Array(repeating: ["EXISTS", "tmp:1"] as [any RedisArgument], count: 2000))
}

/// `parse`'s answer in `classify`'s terms.
private func expected(_ key: [UInt8], in keyspace: BoundKeyspace) -> KeyClass {
    let registry = keyspace.registry
    func index(_ family: KeyFamily) -> Int { registry.families.firstIndex { $0.name == family.name }! }
    switch keyspace.parse(key) {
    case .family(let family, let params):
        return KeyClass(kind: .family(index: index(family)), ttlLimitSeconds: family.ttl.seconds(for: params))
    case .legacy(let family, let params, let form):
        return KeyClass(
            kind: .legacy(familyIndex: index(family), formIndex: registry.legacyForms.firstIndex(of: form)!),
            ttlLimitSeconds: family.ttl.seconds(for: params))
    case .forbidden(let rule):
        return KeyClass(kind: .forbidden(ruleIndex: FinancialPolicy.rules.firstIndex(of: rule)!))
    case .internal:
        return KeyClass(kind: .internal)
    case .unknown:
        return .unknown
    }
}

@Suite(.serialized) struct WalkerAgreementTests {
    /// Every key reaches the callbacks with its exact bytes and its TTL, classified as
    /// `parse` reads it, with a small SCAN COUNT so the walk takes many batches.
    @Test(arguments: ["", "app:"])
    func everyKeyArrivesWhole(prefix: String) throws {
        let (server, redis) = try spawnedRedis(port: walkerPort)
        defer { server.stop() }
        let planted = plantedKeys(prefix: prefix)
        try plant(redis, planted)
        let ttls = Dictionary(planted.map { ($0.key, $0.ttl) }, uniquingKeysWith: { first, _ in first })

        let classifier = keyspace(prefix).classifier()
        let walker = KeyspaceWalker(connection: redis, count: 3)
        var classified: [[UInt8]: KeyClass] = [:]
        var seen: [[UInt8]: Int64] = [:]
        var mismatched: [[UInt8]] = []
        let summary = try walker.walk(classify: { key -> (tag: KeyClass, memory: Bool) in
            let found = classifier.classify(key)
            classified[Array(key)] = found
            return (found, false)
        }) { key, tag in
            let bytes = Array(key.bytes)
            seen[bytes] = key.pttlMs
            if tag != classified[bytes] { mismatched.append(bytes) }
        }
        #expect(summary.complete)
        #expect(summary.keys == ttls.count)
        #expect(summary.vanished == 0)
        #expect(summary.scanCalls > 10)
        #expect(Set(seen.keys) == Set(ttls.keys))
        #expect(mismatched.isEmpty)
        for (key, ttl) in ttls {
            #expect(classified[key] == expected(key, in: keyspace(prefix)), "\(key.prefix(40))")
            let pttl = try #require(seen[key])
            if let ttl {
                #expect(pttl > 0 && pttl <= Int64(ttl) * 1000, "\(key.prefix(40))")
            } else {
                #expect(pttl == -1, "\(key.prefix(40))")
            }
        }
    }

    /// With `memoryForEveryKey`, every key comes with its MEMORY USAGE, and the tag
    /// `classify` gave it (here the registry's parse) arrives with it.
    @Test func memoryForEveryKeyAndTagsArrive() throws {
        let (server, redis) = try spawnedRedis(port: walkerPort)
        defer { server.stop() }
        let planted = plantedKeys(prefix: "app:")
        try plant(redis, planted)
        let walker = KeyspaceWalker(connection: redis, count: 10)
        var parsed: [[UInt8]: ParsedKey] = [:]
        var memory = 0
        let summary = try walker.walk(memoryForEveryKey: true, classify: { key -> (tag: ParsedKey, memory: Bool) in
            (keyspace("app:").parse(Array(key)), false)
        }) { walkedKey, tag in
            parsed[Array(walkedKey.bytes)] = tag
            if let bytes = walkedKey.memoryBytes, bytes > 0 { memory += 1 }
        }
        #expect(summary.keys == Set(planted.map(\.key)).count)
        #expect(summary.memoryCalls == summary.keys)
        #expect(memory == summary.keys)
        for (key, _) in planted {
            #expect(parsed[key] == keyspace("app:").parse(key), "\(key.prefix(40))")
        }
    }

    /// Lint and metrics over the same awkward keyspace: the legacy form names its
    /// canonical key, binary keys are shown escaped, and the counts add up.
    @Test func lintAndMetricsOverAwkwardKeys() throws {
        let (server, redis) = try spawnedRedis(port: walkerPort)
        defer { server.stop() }
        let planted = plantedKeys(prefix: "")
        try plant(redis, planted)
        let report = try KeyspaceLint.run(connection: redis, keyspace: unprefixed, maxValueBytes: 100_000)
        let legacy = report.findings.first { $0.rule == LintRule.legacyKeyForm }
        #expect(legacy?.key == "user:7:orgs")
        #expect(legacy?.message == "legacy form user:{userId}:orgs of user-orgs; the app writes user:orgs:7")
        #expect(report.findings.contains { $0.rule == LintRule.unknownKey && $0.key == "session:\\xff\\xfe" })
        #expect(report.findings.contains { $0.rule == LintRule.unknownKey && $0.key == "\\xc3(:1" })
        #expect(!report.findings.contains { $0.key.hasPrefix("perm:1:2:product:read") })
        #expect(report.byRule["cached-payment"] == 1)
        #expect(report.byRule[LintRule.missingTTL] == 1)
        #expect(report.byRule[LintRule.valueTooLarge] == 1)
        #expect(report.byRule[LintRule.ttlAbovePolicy] == 2)   // product:9 and admin:stats:today
        let metrics = try FamilyMetrics.collect(connection: redis, keyspace: unprefixed)
        let counted = metrics.families.reduce(0) { $0 + $1.keys } + metrics.otherGroups.reduce(0) { $0 + $1.keys }
        #expect(counted == Set(planted.map(\.key)).count)
        #expect(metrics.families.first { $0.name == "user-orgs" }?.legacyKeys == 1)
        #expect(metrics.families.first { $0.name == "admin-stats" }?.aboveTTLPolicy == 1)
    }
}
